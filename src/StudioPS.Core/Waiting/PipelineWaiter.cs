using System;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Waiting;

/// <summary>Waits for a pipeline to reach COMPLETED, FAILED or CANCELED: one status request per round.</summary>
internal sealed class PipelineWaiter
{
    private readonly StudioClient _client;
    private readonly string _team;
    private readonly IStudioTrace _trace;

    public PipelineWaiter(StudioClient client, string team, IStudioTrace trace)
    {
        _client = client;
        _team = team;
        _trace = trace;
    }

    /// <summary>The final pipeline, or (when the time-out passes first) its latest state with <c>TimedOut</c> set.</summary>
    public async Task<(StudioPipeline Pipeline, bool TimedOut)> WaitAsync(string? name, string? id, TimeSpan pollInterval, TimeSpan? timeout,
        Func<StudioPipeline, Task>? progress, CancellationToken cancellationToken)
    {
        var deadline = Polling.DeadlineAfter(timeout);
        while (true)
        {
            var pipeline = await _client.GetPipelineAsync(_team, name, id, _trace, cancellationToken).ConfigureAwait(false);
            // Later rounds ask by id too, so a name reused by a newer run does not switch pipelines mid-wait.
            id ??= pipeline.Id;
            if (progress != null) await progress(pipeline).ConfigureAwait(false);
            if (pipeline.IsTerminal) return (pipeline, false);
            if (!await Polling.NextRoundAsync(pollInterval, deadline, cancellationToken).ConfigureAwait(false)) return (pipeline, true);
        }
    }
}
