using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Logs
{
    internal enum LogEventKind
    {
        Line,
        Status,
    }

    /// <summary>A log line, or a change of the job's status, as the follower sees it.</summary>
    internal sealed class LogEvent
    {
        public LogEventKind Kind { get; set; }

        /// <summary>The server's id for a line; lines are deduplicated by it across reconnects.</summary>
        public long? Id { get; set; }

        public string? Message { get; set; }
        public StudioJob? Job { get; set; }
    }

    internal sealed class LogFollowOptions
    {
        /// <summary>Reconnect attempts in a row without data before giving up (the official client's 15).</summary>
        public int MaxAttempts { get; set; } = 15;

        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>How often the REST fallback polls, where the websocket is not served.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Read what has been logged so far and stop, rather than follow.</summary>
        public bool NoFollow { get; set; }

        public Func<double> Random { get; set; } = SharedRandom;

        /// <summary>Fetches an archived log blob (a presigned URL, so without the Authorization header).</summary>
        public Func<Uri, CancellationToken, Task<string>>? FetchBlob { get; set; }

        private static readonly object Gate = new object();
        private static readonly System.Random Generator = new System.Random();

        private static double SharedRandom()
        {
            lock (Gate) return Generator.NextDouble();
        }
    }

    /// <summary>
    /// Follows a job's log the way the official client does: the websocket at
    /// <c>/api/logs/follow/</c>, every connection replaying the history, lines deduplicated by id;
    /// on a drop a REST status check, then reconnects with capped backoff and jitter. A 403
    /// handshake or a 4404 close ends it at once with a clear error; where the socket is not
    /// served at all, it polls the REST log endpoint instead. No line is lost or repeated.
    /// </summary>
    internal sealed class LogFollower
    {
        private readonly StudioClient _client;
        private readonly ILogSocketFactory _sockets;
        private readonly string _team;
        private readonly string _jobId;
        private readonly IStudioTrace _trace;
        private readonly LogFollowOptions _options;
        private readonly HashSet<long> _seen = new HashSet<long>();
        private readonly HashSet<string> _blobs = new HashSet<string>(StringComparer.Ordinal);
        private int _unnumberedEmitted;
        private int _linesEmitted;
        private string? _lastStatus;

        internal LogFollower(StudioClient client, ILogSocketFactory sockets, string team, string jobId, IStudioTrace trace, LogFollowOptions? options = null)
        {
            _client = client;
            _sockets = sockets;
            _team = team;
            _jobId = jobId;
            _trace = trace;
            _options = options ?? new LogFollowOptions();
        }

        /// <summary>Reconnections made so far (for figures and tests).</summary>
        public int Reconnects { get; private set; }

        public Uri StreamUri(bool noFollow)
        {
            var api = _client.ApiBase;
            var scheme = api.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
            var text = scheme + "://" + api.Authority + api.AbsolutePath + "logs/follow/?job_id=" + Uri.EscapeDataString(_jobId)
                       + "&team_name=" + Uri.EscapeDataString(_team) + (noFollow ? "&no_follow=true" : string.Empty);
            return new Uri(text);
        }

        /// <summary>Follows until the job ends (or, with NoFollow, until the history is read). Returns the last job state seen.</summary>
        public async Task<StudioJob?> RunAsync(Func<LogEvent, Task> emit, CancellationToken cancellationToken)
        {
            StudioJob? job = null;
            var failures = 0;
            var finalPass = _options.NoFollow;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var uri = StreamUri(finalPass);
                ILogSocket socket;
                try
                {
                    socket = await _sockets.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
                    Verbose($"Following the log of job {_jobId} over {uri.GetLeftPart(UriPartial.Path)}.");
                }
                catch (LogHandshakeException refused) when (refused.StatusCode.HasValue)
                {
                    switch (refused.StatusCode.Value)
                    {
                        case 401:
                            throw Error(StudioErrorKind.Unauthorized, $"Studio did not accept the token for the log stream of job {_jobId}.", refused);
                        case 403:
                            throw Error(StudioErrorKind.Forbidden, $"Not authorized to follow the log of job {_jobId} in team '{_team}'.", refused);
                        case 404:
                            Verbose("This Studio does not serve the log websocket; polling the REST log endpoint instead.");
                            return await PollAsync(emit, cancellationToken).ConfigureAwait(false);
                    }
                    socket = null!;
                }
                catch (LogHandshakeException)
                {
                    socket = null!;
                }

                var outcome = Outcome.Dropped;
                var delivered = false;
                if (socket != null)
                {
                    using (socket)
                    {
                        var result = await ReadAsync(socket, emit, cancellationToken).ConfigureAwait(false);
                        outcome = result.Outcome;
                        delivered = result.Delivered;
                        if (result.Job != null) job = result.Job;
                    }
                }
                if (outcome == Outcome.Ended || finalPass && outcome == Outcome.Closed) return job;

                // Dropped (or closed before the job ended): what does REST say about the job?
                if (delivered) failures = 0;
                failures++;
                Reconnects++;
                if (failures > _options.MaxAttempts)
                    throw Error(StudioErrorKind.ConnectionFailed,
                        $"Lost the log stream of job {_jobId}: {_options.MaxAttempts} reconnects in a row brought no data.", null);
                var current = await _client.GetJobAsync(_team, _jobId, false, _trace, cancellationToken).ConfigureAwait(false);
                job = current;
                await EmitStatusAsync(current, emit).ConfigureAwait(false);
                if (current.IsTerminal)
                {
                    // One last replay of the whole history, so no line written before the end is missed.
                    finalPass = true;
                    continue;
                }
                var delay = Backoff(failures);
                Verbose($"The log stream of job {_jobId} dropped; reconnecting in {delay.TotalSeconds:0.0} s (attempt {failures} of {_options.MaxAttempts}).");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        private enum Outcome
        {
            Ended,
            Closed,
            Dropped,
        }

        private async Task<(Outcome Outcome, bool Delivered, StudioJob? Job)> ReadAsync(ILogSocket socket, Func<LogEvent, Task> emit, CancellationToken cancellationToken)
        {
            var delivered = false;
            var ended = false;
            StudioJob? job = null;
            string? lastMessage = null;
            var unnumberedIndex = 0;
            while (true)
            {
                string? frame;
                try
                {
                    frame = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException || e is IOException || e is ObjectDisposedException || e is HttpRequestException)
                {
                    Verbose($"The log stream of job {_jobId} broke: {e.Message}");
                    return (Outcome.Dropped, delivered, job);
                }
                if (frame == null)
                {
                    if (socket.CloseStatus == 4404)
                        throw Error(StudioErrorKind.NotFound, $"Studio has no job '{_jobId}' in team '{_team}'" + (lastMessage == null ? "." : ": " + lastMessage), null);
                    return (ended ? Outcome.Ended : Outcome.Closed, delivered, job);
                }

                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(frame, new JsonDocumentOptions { MaxDepth = 64 });
                }
                catch (JsonException)
                {
                    Verbose("Skipped a log frame that is not JSON.");
                    continue;
                }
                using (document)
                {
                    var root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) continue;
                    if (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && JsonText.SafeString(type) == "ping") continue;
                    if (root.TryGetProperty("logs", out var logs) && logs.ValueKind == JsonValueKind.Array)
                    {
                        delivered = true;
                        foreach (var (id, message) in ReadLines(logs))
                        {
                            if (id.HasValue)
                            {
                                if (!_seen.Add(id.Value)) continue;
                            }
                            else if (unnumberedIndex++ < _unnumberedEmitted)
                            {
                                // A line without an id: replays are matched by position.
                                continue;
                            }
                            else
                            {
                                _unnumberedEmitted++;
                            }
                            _linesEmitted++;
                            await emit(new LogEvent { Kind = LogEventKind.Line, Id = id, Message = message }).ConfigureAwait(false);
                        }
                    }
                    if (root.TryGetProperty("log_blobs", out var blobs) && blobs.ValueKind == JsonValueKind.Array)
                    {
                        delivered = true;
                        foreach (var blob in blobs.EnumerateArray())
                        {
                            var url = blob.ValueKind == JsonValueKind.String ? JsonText.SafeString(blob) : null;
                            if (url == null || !_blobs.Add(url) || !Uri.TryCreate(url, UriKind.Absolute, out var blobUri)) continue;
                            var text = await FetchBlobAsync(blobUri, cancellationToken).ConfigureAwait(false);
                            foreach (var line in LogText.Parse(text, null))
                            {
                                _linesEmitted++;
                                await emit(new LogEvent { Kind = LogEventKind.Line, Message = line }).ConfigureAwait(false);
                            }
                        }
                    }
                    if (root.TryGetProperty("job", out var jobElement) && jobElement.ValueKind == JsonValueKind.Object)
                    {
                        delivered = true;
                        try
                        {
                            job = jobElement.Deserialize<StudioJob>(StudioJson.Options);
                        }
                        catch (JsonException)
                        {
                            job = null;
                        }
                        if (job != null)
                        {
                            await EmitStatusAsync(job, emit).ConfigureAwait(false);
                            if (job.IsTerminal) ended = true;
                        }
                    }
                    if (root.TryGetProperty("message", out var note) && note.ValueKind == JsonValueKind.String && !root.TryGetProperty("logs", out _))
                        lastMessage = JsonText.SafeString(note);
                }
            }
        }

        private static IEnumerable<(long? Id, string Message)> ReadLines(JsonElement logs)
        {
            var lines = new List<(long? Id, string Message)>();
            foreach (var item in logs.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    lines.Add((null, JsonText.SafeString(item)));
                    continue;
                }
                if (item.ValueKind != JsonValueKind.Object) continue;
                long? id = null;
                if (item.TryGetProperty("id", out var idElement))
                {
                    if (idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out var n)) id = n;
                    else if (idElement.ValueKind == JsonValueKind.String && long.TryParse(JsonText.SafeString(idElement), out var s)) id = s;
                }
                var message = item.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? JsonText.SafeString(m) : string.Empty;
                lines.Add((id, message));
            }
            // Within one frame, ids give the order; lines without ids keep theirs.
            return lines.All(l => l.Id.HasValue) ? lines.OrderBy(l => l.Id) : (IEnumerable<(long?, string)>)lines;
        }

        private async Task<StudioJob?> PollAsync(Func<LogEvent, Task> emit, CancellationToken cancellationToken)
        {
            while (true)
            {
                var job = await _client.GetJobAsync(_team, _jobId, false, _trace, cancellationToken).ConfigureAwait(false);
                // Logs are read after the status, so a terminal status means the log is complete.
                var lines = await _client.GetJobLogsAsync(_team, _jobId, _trace, cancellationToken).ConfigureAwait(false);
                for (var i = _linesEmitted; i < lines.Count; i++)
                {
                    _linesEmitted++;
                    await emit(new LogEvent { Kind = LogEventKind.Line, Message = lines[i] }).ConfigureAwait(false);
                }
                await EmitStatusAsync(job, emit).ConfigureAwait(false);
                if (job.IsTerminal || _options.NoFollow) return job;
                await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task EmitStatusAsync(StudioJob job, Func<LogEvent, Task> emit)
        {
            if (string.Equals(job.Status, _lastStatus, StringComparison.Ordinal)) return;
            _lastStatus = job.Status;
            await emit(new LogEvent { Kind = LogEventKind.Status, Job = job }).ConfigureAwait(false);
        }

        private async Task<string> FetchBlobAsync(Uri uri, CancellationToken cancellationToken)
        {
            BlobReader.CheckScheme(uri, _client.ApiBase, $"the archived log of job {_jobId}");
            try
            {
                return _options.FetchBlob != null
                    ? await _options.FetchBlob(uri, cancellationToken).ConfigureAwait(false)
                    : await FetchWithoutAuthAsync(uri, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException || e is TimeoutException)
            {
                // The query string of a presigned URL is a credential too: only the host and path are named.
                throw Error(StudioErrorKind.ConnectionFailed, $"Could not read the archived log of job {_jobId} from {uri.GetLeftPart(UriPartial.Path)}: {e.Message}", e);
            }
        }

        private Task<string> FetchWithoutAuthAsync(Uri uri, CancellationToken cancellationToken) =>
            BlobReader.ReadTextAsync(uri, _client.ApiBase, _client.BodyIdleTimeout, $"the archived log of job {_jobId}", cancellationToken);

        /// <summary>1, 2, 4 ... seconds, capped at the maximum, plus up to one base delay of jitter.</summary>
        public TimeSpan Backoff(int failures)
        {
            var exponent = Math.Min(Math.Max(failures - 1, 0), 30);
            var ceiling = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
            return TimeSpan.FromMilliseconds(ceiling + _options.Random() * _options.BaseDelay.TotalMilliseconds);
        }

        private StudioApiException Error(StudioErrorKind kind, string message, Exception? inner) =>
            new StudioApiException(kind, StudioPS.Rendering.DisplayText.Escape(_client.Redactor.Redact(message)), null, null, "GET", "/api/logs/follow/", false, null, inner);

        private void Verbose(string message)
        {
            if (_trace.VerboseEnabled) _trace.Verbose(_client.Redactor.Redact(message));
        }
    }
}
