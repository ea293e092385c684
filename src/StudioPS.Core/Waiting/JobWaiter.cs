using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Waiting;

/// <summary>
/// Waits for jobs to reach a terminal status. One poll round costs one request: a single job is
/// read by id, many jobs through one list request sized to hold them (the list is newest first,
/// and jobs being waited on are recent); only a job missing from that page is read on its own.
/// </summary>
internal sealed class JobWaiter
{
    private readonly StudioClient _client;
    private readonly string _team;
    private readonly IStudioTrace _trace;

    public JobWaiter(StudioClient client, string team, IStudioTrace trace)
    {
        _client = client;
        _team = team;
        _trace = trace;
    }

    /// <summary>Requests made so far: one per round, plus one per job missing from a round's page.</summary>
    public int Requests { get; private set; }

    /// <summary>
    /// Polls until every job is terminal, the time-out passes or the token is cancelled. Each job
    /// is reported once as it ends (<see cref="JobWaitEventKind.Finished"/>), every round ends
    /// with the state of all jobs (<see cref="JobWaitEventKind.Round"/>), and when the time-out
    /// passes each job still going is reported as <see cref="JobWaitEventKind.TimedOut"/>.
    /// </summary>
    public async IAsyncEnumerable<JobWaitEvent> WatchAsync(IReadOnlyCollection<string> ids, TimeSpan pollInterval, TimeSpan? timeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pending = new List<string>(ids.Distinct(StringComparer.OrdinalIgnoreCase));
        var latest = new Dictionary<string, StudioJob>(StringComparer.OrdinalIgnoreCase);
        var deadline = Polling.DeadlineAfter(timeout);
        StudioJob Latest(string id) => latest.TryGetValue(id, out var j) ? j : new StudioJob { Id = id };
        while (pending.Count > 0)
        {
            foreach (var job in await PollAsync(pending, cancellationToken).ConfigureAwait(false))
                latest[job.Id!] = job;
            foreach (var id in pending.ToList())
            {
                if (latest.TryGetValue(id, out var job) && job.IsTerminal)
                {
                    pending.Remove(id);
                    yield return JobWaitEvent.Finished(job, clock.Elapsed);
                }
            }
            yield return JobWaitEvent.Round(ids.Select(Latest).ToList(), clock.Elapsed);
            if (pending.Count == 0) yield break;

            if (!await Polling.NextRoundAsync(pollInterval, deadline, cancellationToken).ConfigureAwait(false))
            {
                foreach (var id in pending) yield return JobWaitEvent.TimedOut(Latest(id), clock.Elapsed);
                yield break;
            }
        }
    }

    private async Task<List<StudioJob>> PollAsync(List<string> pending, CancellationToken cancellationToken)
    {
        var found = new List<StudioJob>();
        if (pending.Count == 1)
        {
            Requests++;
            found.Add(await _client.GetJobAsync(_team, pending[0], false, _trace, cancellationToken).ConfigureAwait(false));
            return found;
        }
        var wanted = new HashSet<string>(pending, StringComparer.OrdinalIgnoreCase);
        Requests++;
        var limit = Math.Max(100, pending.Count * 2);
        await foreach (var job in _client.ListJobsAsync(_team, null, null, limit, false, _trace, cancellationToken).ConfigureAwait(false))
        {
            if (job.Id != null && wanted.Remove(job.Id)) found.Add(job);
        }
        foreach (var id in wanted)
        {
            Requests++;
            found.Add(await _client.GetJobAsync(_team, id, false, _trace, cancellationToken).ConfigureAwait(false));
        }
        return found;
    }
}
