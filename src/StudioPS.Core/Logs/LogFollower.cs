using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Http;
using StudioPS.Models;

namespace StudioPS.Logs;

/// <summary>
/// Follows a job's log the way the official client does: the websocket at <c>/api/logs/follow/</c>,
/// every connection replaying the history, records deduplicated by id; the first <c>log_blobs</c> frame's
/// archives read before the records that follow it; on a drop (or 90 s of silence) a REST status check,
/// then reconnects with capped backoff and jitter. A 403 handshake or a 4404 close ends it at once with
/// a clear error; where the socket is not served at all, it polls the REST log endpoint instead. Output
/// is raw chunks, assembled into lines across messages and reconnects; no line is lost or repeated.
/// </summary>
internal sealed class LogFollower
{
    private readonly StudioClient _client;
    private readonly ILogSocketFactory _sockets;
    private readonly string _team;
    private readonly string _jobId;
    private readonly IStudioTrace _trace;
    private readonly LogFollowOptions _options;
    private readonly Backoff _backoff;
    private readonly LogIdFilter _ids = new LogIdFilter();
    private readonly Func<long, bool> _seen;
    private long _unnumberedWritten;
    private bool _blobsRead;

    internal LogFollower(StudioClient client, ILogSocketFactory sockets, string team, string jobId, IStudioTrace trace, LogFollowOptions? options = null)
    {
        _client = client;
        _sockets = sockets;
        _team = team;
        _jobId = jobId;
        _trace = trace;
        _options = options ?? new LogFollowOptions();
        _seen = _ids.Seen;
        _backoff = new Backoff(_options.BaseDelay, _options.MaxDelay, BackoffJitter.Additive, _options.Random);
    }

    /// <summary>Reconnections made so far (for figures and tests).</summary>
    public int Reconnects { get; private set; }

    /// <summary>The ids the deduplication holds now: bounded, however long the log.</summary>
    internal int RememberedIds => _ids.Remembered;

    /// <summary>The stream's address for this job; <paramref name="noFollow"/> asks for the history only.</summary>
    public Uri StreamUri(bool noFollow)
    {
        var api = _client.ApiBase;
        var scheme = api.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        var text = scheme + "://" + api.Authority + api.AbsolutePath + "logs/follow/?job_id=" + Uri.EscapeDataString(_jobId)
                   + "&team_name=" + Uri.EscapeDataString(_team) + (noFollow ? "&no_follow=true" : string.Empty);
        return new Uri(text);
    }

    /// <summary>Follows until the job ends, handing on one event at a time. Returns the last job state seen.</summary>
    public Task<StudioJob?> RunAsync(Func<LogEvent, Task> emit, CancellationToken cancellationToken) =>
        RunBatchedAsync(async batch =>
        {
            foreach (var e in batch) await emit(e).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Follows until the job ends, handing on events in batches (what one frame brought), in order.
    /// Returns the last job state seen.
    /// </summary>
    public async Task<StudioJob?> RunBatchedAsync(Func<IReadOnlyList<LogEvent>, Task> emit, CancellationToken cancellationToken)
    {
        var output = new LogOutput(_options.Raw, emit);
        try
        {
            var job = await FollowAsync(output, cancellationToken).ConfigureAwait(false);
            await output.EndAsync().ConfigureAwait(false);
            return job;
        }
        catch (StudioApiException)
        {
            // What arrived before the failure is still shown (a partial line stays unfinished).
            await output.FlushAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<StudioJob?> FollowAsync(LogOutput output, CancellationToken cancellationToken)
    {
        StudioJob? job = null;
        var failures = 0;
        var finalPass = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var uri = StreamUri(finalPass);
            ILogSocket? socket = null;
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
                        return await new RestLogPoller(_client, _team, _jobId, _trace, _options.PollInterval).RunAsync(output, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (LogHandshakeException)
            {
                // A network failure: counted below like a drop.
            }

            var outcome = Outcome.Dropped;
            var delivered = false;
            if (socket != null)
            {
                using (socket)
                {
                    var result = await ReadAsync(socket, output, cancellationToken).ConfigureAwait(false);
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
            await output.StatusAsync(current).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
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

    private async Task<(Outcome Outcome, bool Delivered, StudioJob? Job)> ReadAsync(ILogSocket socket, LogOutput output, CancellationToken cancellationToken)
    {
        var delivered = false;
        var ended = false;
        StudioJob? job = null;
        string? lastNote = null;
        long unnumberedIndex = 0;
        while (true)
        {
            ReadOnlyMemory<byte>? text;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                idle.CancelAfter(_options.IdleTimeout);
                try
                {
                    text = await socket.ReceiveAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Verbose($"The log stream of job {_jobId} delivered nothing for {_options.IdleTimeout.TotalSeconds:0} s; treating it as dropped.");
                    return (Outcome.Dropped, delivered, job);
                }
                catch (Exception e) when (e is WebSocketException || e is IOException || e is ObjectDisposedException || e is HttpRequestException)
                {
                    Verbose($"The log stream of job {_jobId} broke: {e.Message}");
                    return (Outcome.Dropped, delivered, job);
                }
            }
            if (text == null)
            {
                if (socket.CloseStatus == 4404)
                    throw Error(StudioErrorKind.NotFound, $"Studio has no job '{_jobId}' in team '{_team}'" + (lastNote == null ? "." : ": " + lastNote), null);
                return (ended ? Outcome.Ended : Outcome.Closed, delivered, job);
            }

            var frame = LogFrameParser.Parse(text.Value, _seen);
            if (frame.HasData) delivered = true;
            if (frame.Note != null) lastNote = frame.Note;
            if (frame.Blobs != null && !_blobsRead)
            {
                // Only the first log_blobs frame of a follow: every reconnect sends it again.
                _blobsRead = true;
                foreach (var blob in frame.Blobs) await ReadBlobAsync(blob, output, cancellationToken).ConfigureAwait(false);
            }
            if (frame.Records != null)
            {
                foreach (var record in frame.Records)
                {
                    if (record.Id.HasValue)
                    {
                        if (!_ids.IsNew(record.Id.Value)) continue;
                    }
                    else if (unnumberedIndex++ < _unnumberedWritten)
                    {
                        // A record without an id: replays are matched by position.
                        continue;
                    }
                    else
                    {
                        _unnumberedWritten++;
                    }
                    await output.WriteAsync(record.Message).ConfigureAwait(false);
                }
            }
            if (frame.Job != null)
            {
                job = frame.Job;
                await output.StatusAsync(job).ConfigureAwait(false);
                if (job.IsTerminal) ended = true;
            }
            // One hand-over per frame: lines reach the consumer as the frame arrived, in one wake-up.
            await output.FlushAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadBlobAsync(string url, LogOutput output, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            await output.WarnAsync($"Skipped an archived log of job {_jobId} whose address is not an http(s) URL.").ConfigureAwait(false);
            return;
        }
        try
        {
            await new ArchivedLogReader(_client, _trace, _options).ReadAsync(uri, async text =>
            {
                await output.WriteAsync(text).ConfigureAwait(false);
                await output.FlushAsync().ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (StudioApiException e)
        {
            // The official client warns and goes on: the live output still follows.
            // The query string of a presigned URL is a credential too: only the host and path are named.
            await output.WarnAsync($"The archived log of job {_jobId} at {uri.GetLeftPart(UriPartial.Path)} could not be read, so its older output is missing: {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>The wait before reconnect number <paramref name="failures"/>: 1, 2, 4 ... s, capped, plus jitter.</summary>
    public TimeSpan Backoff(int failures) => _backoff.Delay(failures - 1);

    private StudioApiException Error(StudioErrorKind kind, string message, Exception? inner) =>
        new StudioApiException(kind, StudioPS.Rendering.DisplayText.Escape(_client.Redactor.Redact(message)), null, null, "GET", "/api/logs/follow/", false, null, inner);

    private void Verbose(string message)
    {
        if (_trace.VerboseEnabled) _trace.Verbose(_client.Redactor.Redact(message));
    }
}
