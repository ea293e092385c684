using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using StudioPS.Emulator.Auth;
using StudioPS.Emulator.Control;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Api;

/// <summary>
/// ws://HOST/api/logs/follow/?job_id=ID&amp;team_name=T[&amp;no_follow=true] — the official client's log stream.
/// Each log record's message is a raw chunk of output (its own line breaks, lines cut anywhere).
/// On connect: with archiving on, a {"log_blobs":[url]} frame for the older output; then the history as
/// {"logs":[...]} batches, then the job; afterwards new chunks, a
/// {"job":...} frame per status change and {"type":"ping"} every 5 s; closes with 1000 once the job is
/// terminal, or 4404 for an unknown job. Auth failures are answered before the upgrade.
/// </summary>
public static class LogsApi
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(5);
    const int MaxLinesPerFrame = 1000;
    static readonly byte[] PingFrame = """{"type":"ping"}"""u8.ToArray();
    static readonly byte[] NotFoundFrame = """{"message":"Job ID is incorrect or not found"}"""u8.ToArray();

    public static void Map(WebApplication app, Emulator emu)
    {
        app.Map("/api/logs/follow", ctx => FollowAsync(ctx, emu));
        app.MapGet("/api/datachain/jobs/{id}/archived-log", ctx => OwnArchiveAsync(ctx, emu));
        app.MapGet("/blobs/logs/{id}", ctx => OtherHostArchiveAsync(ctx, emu));
    }

    /// <summary>The archive on Studio's own origin: a Studio endpoint, so the token is required.</summary>
    static async Task OwnArchiveAsync(HttpContext ctx, Emulator emu)
    {
        var grant = emu.Auth.Authenticate(ctx);
        var job = emu.Jobs.Find((string?)ctx.Request.RouteValues["id"]);
        if (job is null || !grant.Teams.Contains(job.Team)) throw new ApiException(404, "Job not found");
        emu.Auth.Authorize(ctx, grant, job.Team, "JOB", Access.Read);
        await WriteArchiveAsync(ctx, job);
    }

    /// <summary>
    /// The archive on another host name (localhost instead of 127.0.0.1), like a presigned storage URL: the
    /// signature in the query is the credential, no Authorization is needed, and the request log shows
    /// whether a client sent one anyway.
    /// </summary>
    static async Task OtherHostArchiveAsync(HttpContext ctx, Emulator emu)
    {
        if (!string.Equals(ctx.Request.Host.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            throw new ApiException(404, "NoSuchBucket", "detail");
        var job = emu.Jobs.Find((string?)ctx.Request.RouteValues["id"]);
        if (job is null || !string.Equals(ctx.Request.Query["signature"], job.ArchiveSignature, StringComparison.Ordinal))
            throw new ApiException(403, "SignatureDoesNotMatch", "detail");
        await WriteArchiveAsync(ctx, job);
    }

    static Task WriteArchiveAsync(HttpContext ctx, Job job)
    {
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        return ctx.Response.WriteAsync(job.OutputText(job.ArchivedThrough), ctx.RequestAborted);
    }

    /// <summary>The log_blobs frame for the job's archived output, or null when the emulator archives nothing.</summary>
    static byte[]? ArchiveFrame(Emulator emu, Job job, out int archivedThrough)
    {
        archivedThrough = 0;
        string mode = emu.Options.LogArchive;
        if (mode == "none") return null;
        archivedThrough = job.ArchiveOnce();
        if (archivedThrough == 0) return null;
        var own = new Uri(emu.BaseUrl);
        string url = mode == "own"
            ? $"{emu.BaseUrl}/api/datachain/jobs/{Uri.EscapeDataString(job.Id)}/archived-log"
            : $"http://localhost:{own.Port}/blobs/logs/{Uri.EscapeDataString(job.Id)}?signature={job.ArchiveSignature}";
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string[]> { ["log_blobs"] = [url] });
    }

    static async Task FollowAsync(HttpContext ctx, Emulator emu)
    {
        if (!emu.Options.LogsWebsocket) throw new ApiException(404, "Not found.", "detail");
        var grant = emu.Auth.Authenticate(ctx);
        string? team = ctx.Request.Query["team_name"];
        string? jobId = ctx.Request.Query["job_id"];
        if (!string.IsNullOrEmpty(team)) emu.Auth.Authorize(ctx, grant, team, "JOB", Access.Read);
        var job = emu.Jobs.Find(jobId);
        if (job is not null && string.IsNullOrEmpty(team))
        {
            if (!grant.Teams.Contains(job.Team)) job = null;
            else emu.Auth.Authorize(ctx, grant, job.Team, "JOB", Access.Read);
        }
        if (job is not null && !string.IsNullOrEmpty(team) && job.Team != team) job = null;
        if (!ctx.WebSockets.IsWebSocketRequest) throw new Req.BadRequest("This endpoint expects a websocket upgrade");

        // Recorded before the 101 goes out, so a client that has connected always finds its entry.
        Authenticator.Info(ctx).RecordNow?.Invoke(StatusCodes.Status101SwitchingProtocols);
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
        var session = new Session(ctx, socket, emu.WsFaults.Current);
        try
        {
            if (job is null)
            {
                await session.SendAsync(NotFoundFrame);
                await session.CloseAsync((WebSocketCloseStatus)4404, "Job not found");
                return;
            }
            // A hostile first frame (huge, or naming a bad blob URL), when a test asked for one.
            if (emu.WsFaults.Current?.FirstFrameData() is { } first) await session.SendAsync(first);
            await StreamAsync(session, emu, job, Req.QueryFlag(ctx, "no_follow"));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client left, or an injected drop aborted the socket.
        }
        finally
        {
            session.Dispose();
        }
    }

    static async Task StreamAsync(Session session, Emulator emu, Job job, bool noFollow)
    {
        // Older output may be archived: its URL first, on every connection, then only newer records.
        if (ArchiveFrame(emu, job, out int archivedThrough) is { } blobs) await session.SendAsync(blobs);
        // Replay: every line so far (clients dedupe by id), then the job as of that same snapshot. The
        // snapshot's last status frame is used rather than the live job, so a change racing the replay is
        // sent exactly once, by the loop below.
        var history = job.EventsSince(0);
        int position = history.Length;
        await SendLinesAsync(session, history, archivedThrough);
        await session.SendAsync(history.LastOrDefault(e => e.JobFrame is not null)?.JobFrame ?? job.CurrentJobFrame());
        if (noFollow)
        {
            await session.CloseAsync(WebSocketCloseStatus.NormalClosure, "done");
            return;
        }

        var nextPing = DateTime.UtcNow + PingInterval;
        while (true)
        {
            // Terminal is read before the count: a terminal status and its event are recorded together.
            if (job.IsTerminal && job.EventCount == position)
            {
                await session.CloseAsync(WebSocketCloseStatus.NormalClosure, "job finished");
                return;
            }
            // Pings keep their own 5 s rhythm, busy stream or not, like a server-side keep-alive timer.
            var untilPing = nextPing - DateTime.UtcNow;
            if (untilPing <= TimeSpan.Zero)
            {
                await session.SendAsync(PingFrame);
                nextPing = DateTime.UtcNow + PingInterval;
                continue;
            }
            var changed = job.WaitForEventsAsync(position);
            var finished = await Task.WhenAny(changed, Task.Delay(untilPing, session.Token));
            session.Token.ThrowIfCancellationRequested();
            if (finished != changed) continue;

            var events = job.EventsSince(position);
            position += events.Length;
            int runStart = 0;
            for (int i = 0; i < events.Length; i++)
            {
                if (events[i].JobFrame is not { } frame) continue;
                await SendLinesAsync(session, events.AsSpan(runStart, i - runStart).ToArray());
                await session.SendAsync(frame);
                runStart = i + 1;
            }
            await SendLinesAsync(session, events.AsSpan(runStart).ToArray());
        }
    }

    /// <summary>Sends the log lines among <paramref name="events"/> in {"logs":[...]} batches.</summary>
    static async Task SendLinesAsync(Session session, JobEvent[] events, int skipThrough = 0)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        int inBatch = 0;
        Utf8JsonWriter? w = null;
        foreach (var e in events)
        {
            if (e.LogId <= skipThrough) continue;
            if (w is null)
            {
                buffer.ResetWrittenCount();
                w = new Utf8JsonWriter(buffer, Json.WriterOptions);
                w.WriteStartObject();
                w.WriteStartArray("logs");
            }
            w.WriteStartObject();
            w.WriteNumber("id", e.LogId);
            w.WriteString("message", e.Message);
            w.WriteEndObject();
            if (++inBatch == MaxLinesPerFrame)
            {
                await FlushBatch();
            }
        }
        if (w is not null) await FlushBatch();

        async Task FlushBatch()
        {
            w!.WriteEndArray();
            w.WriteEndObject();
            w.Flush();
            w.Dispose();
            w = null;
            inBatch = 0;
            await session.SendAsync(buffer.WrittenMemory);
        }
    }

    /// <summary>One websocket connection: sending, injected drops, and noticing the client going away.</summary>
    sealed class Session : IDisposable
    {
        readonly HttpContext _ctx;
        readonly WebSocket _socket;
        readonly WsFaultSettings? _faults;
        readonly CancellationTokenSource _cts;
        int _framesSent;

        public Session(HttpContext ctx, WebSocket socket, WsFaultSettings? faults)
        {
            _ctx = ctx;
            _socket = socket;
            _faults = faults;
            // Stopping the server ends open streams at once instead of holding shutdown for a ping interval.
            var stopping = ctx.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
            if (faults?.DropEveryMs is { } dropMs)
                _ = Task.Delay(dropMs, _cts.Token).ContinueWith(t => { if (t.IsCompletedSuccessfully) Drop(); }, TaskScheduler.Default);
            _receiving = ReceiveLoopAsync();
        }

        readonly Task _receiving;

        public CancellationToken Token => _cts.Token;

        /// <summary>Drops the connection with no close frame, as a load balancer would.</summary>
        void Drop()
        {
            // Never touch a request that has already ended: its context may be serving something else.
            if (_disposed) return;
            _ctx.Abort();
            try { _cts.Cancel(); }
            catch (ObjectDisposedException) { }
        }

        // Reads (and discards) what the client sends, so its close or disappearance ends the stream.
        async Task ReceiveLoopAsync()
        {
            var buffer = new byte[1024];
            try
            {
                while (_socket.State == WebSocketState.Open)
                {
                    var r = await _socket.ReceiveAsync(buffer, _cts.Token);
                    if (r.MessageType == WebSocketMessageType.Close) break;
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
            try { _cts.Cancel(); }
            catch (ObjectDisposedException) { }
        }

        public async Task SendAsync(ReadOnlyMemory<byte> frame)
        {
            await ThrowIfDroppingAsync();
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _cts.Token);
            if (_faults?.DropAfterFrames is { } n && Interlocked.Increment(ref _framesSent) >= n)
            {
                // Let the Nth frame reach the client before the reset, then send nothing more.
                _dropping = true;
                _ = Task.Delay(50).ContinueWith(_ => Drop(), TaskScheduler.Default);
            }
        }

        volatile bool _dropping;

        async Task ThrowIfDroppingAsync()
        {
            if (!_dropping) return;
            await Task.Delay(100);
            throw new OperationCanceledException("injected websocket drop");
        }

        public async Task CloseAsync(WebSocketCloseStatus status, string description)
        {
            await ThrowIfDroppingAsync();
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(status, description, _cts.Token);
            // Give the client a moment to answer the close so the handshake completes cleanly.
            await Task.WhenAny(_receiving, Task.Delay(2000));
        }

        volatile bool _disposed;

        public void Dispose()
        {
            _disposed = true;
            try { _cts.Cancel(); }
            catch (ObjectDisposedException) { }
            _cts.Dispose();
        }
    }
}
