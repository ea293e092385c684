using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Models;

namespace StudioPS.Client
{
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

        /// <summary>Requests made so far (benchmarks compare it to one request per job per round).</summary>
        public int Requests { get; private set; }

        /// <summary>
        /// Polls until every job is terminal, the time-out passes (the unfinished jobs are returned)
        /// or the token is cancelled. <paramref name="finished"/> gets each job once, as it ends;
        /// <paramref name="progress"/> gets the current state of every job after each round.
        /// </summary>
        public async Task<IReadOnlyList<StudioJob>> WaitAsync(IReadOnlyCollection<string> ids, TimeSpan pollInterval, TimeSpan? timeout,
            Func<StudioJob, Task> finished, Func<IReadOnlyList<StudioJob>, Task>? progress, CancellationToken cancellationToken)
        {
            var pending = new List<string>(ids.Distinct(StringComparer.OrdinalIgnoreCase));
            var latest = new Dictionary<string, StudioJob>(StringComparer.OrdinalIgnoreCase);
            var deadline = Polling.Deadline(timeout);
            while (true)
            {
                foreach (var job in await PollAsync(pending, cancellationToken).ConfigureAwait(false))
                    latest[job.Id!] = job;
                foreach (var id in pending.ToList())
                {
                    if (latest.TryGetValue(id, out var job) && job.IsTerminal)
                    {
                        pending.Remove(id);
                        await finished(job).ConfigureAwait(false);
                    }
                }
                if (progress != null)
                    await progress(ids.Select(id => latest.TryGetValue(id, out var j) ? j : new StudioJob { Id = id }).ToList()).ConfigureAwait(false);
                if (pending.Count == 0) return Array.Empty<StudioJob>();

                if (!await Polling.NextRoundAsync(pollInterval, deadline, cancellationToken).ConfigureAwait(false))
                    return pending.Select(id => latest.TryGetValue(id, out var j) ? j : new StudioJob { Id = id }).ToList();
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
}
