using System;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Logs;

/// <summary>
/// The fallback where Studio does not serve the log websocket: polls the job's status, then its REST
/// log, and writes only the output beyond what was written before (counted in characters of the
/// output, so a line cut at the end of one poll is completed by the next).
/// </summary>
internal sealed class RestLogPoller
{
    private readonly StudioClient _client;
    private readonly string _team;
    private readonly string _jobId;
    private readonly IStudioTrace _trace;
    private readonly TimeSpan _interval;
    private long _written;

    public RestLogPoller(StudioClient client, string team, string jobId, IStudioTrace trace, TimeSpan interval)
    {
        _client = client;
        _team = team;
        _jobId = jobId;
        _trace = trace;
        _interval = interval;
    }

    /// <summary>Polls until the job is terminal; returns it.</summary>
    public async Task<StudioJob> RunAsync(LogOutput output, CancellationToken cancellationToken)
    {
        while (true)
        {
            var job = await _client.GetJobAsync(_team, _jobId, false, _trace, cancellationToken).ConfigureAwait(false);
            // The log is read after the status, so a terminal status means the log is complete.
            var chunks = await _client.GetJobLogChunksAsync(_team, _jobId, _trace, cancellationToken).ConfigureAwait(false);
            long position = 0;
            foreach (var chunk in chunks)
            {
                var end = position + chunk.Length;
                if (end > _written)
                {
                    var skip = (int)Math.Max(0, _written - position);
                    await output.WriteAsync(skip == 0 ? chunk : chunk.Substring(skip)).ConfigureAwait(false);
                    _written = end;
                }
                position = end;
            }
            await output.StatusAsync(job).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
            if (job.IsTerminal) return job;
            await Task.Delay(_interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
