using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Waiting;

/// <summary>Fills <see cref="StudioJob.DatasetVersions"/> for a COMPLETE job; a failed read is reported, never fatal.</summary>
internal static class JobDatasetVersions
{
    /// <summary>Returns null on success (or when the job is not COMPLETE), else why the versions could not be read.</summary>
    public static async Task<string?> AttachAsync(StudioClient client, string team, StudioJob job, bool anyStatus, IStudioTrace trace,
        CancellationToken cancellationToken)
    {
        if (job.Id == null) return null;
        if (!anyStatus && !string.Equals(job.Status, "COMPLETE", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            job.DatasetVersions = await client.GetJobDatasetVersionsAsync(team, job.Id, trace, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (StudioApiException error)
        {
            return $"Could not read the dataset versions job {job.Id} created: {error.Message}";
        }
    }

    /// <summary>
    /// Passes a wait's events on, filling DatasetVersions of each job that finishes COMPLETE first;
    /// why a read failed goes to <paramref name="problems"/> by job id, for the caller to warn about.
    /// </summary>
    public static async IAsyncEnumerable<JobWaitEvent> WithDatasetVersions(IAsyncEnumerable<JobWaitEvent> events, StudioClient client, string team,
        IStudioTrace trace, ConcurrentDictionary<string, string> problems, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (e.Kind == JobWaitEventKind.Finished && e.Job?.Id != null)
            {
                var problem = await AttachAsync(client, team, e.Job, false, trace, cancellationToken).ConfigureAwait(false);
                if (problem != null) problems[e.Job.Id] = problem;
            }
            yield return e;
        }
    }
}
