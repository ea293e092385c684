using System;
using System.Collections.Generic;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Waiting;

/// <summary>One thing that happened while waiting for jobs (see <see cref="JobWaiter.WatchAsync"/>).</summary>
internal sealed class JobWaitEvent
{
    private JobWaitEvent(JobWaitEventKind kind, StudioJob? job, IReadOnlyList<StudioJob> jobs, TimeSpan elapsed)
    {
        Kind = kind;
        Job = job;
        Jobs = jobs;
        Elapsed = elapsed;
    }

    public JobWaitEventKind Kind { get; }

    /// <summary>The job that finished or timed out (null for <see cref="JobWaitEventKind.Round"/>).</summary>
    public StudioJob? Job { get; }

    /// <summary>After a round: the latest state of every job waited for, in the order asked.</summary>
    public IReadOnlyList<StudioJob> Jobs { get; }

    /// <summary>Time since the wait began.</summary>
    public TimeSpan Elapsed { get; }

    public static JobWaitEvent Finished(StudioJob job, TimeSpan elapsed) => new JobWaitEvent(JobWaitEventKind.Finished, job, Array.Empty<StudioJob>(), elapsed);
    public static JobWaitEvent Round(IReadOnlyList<StudioJob> jobs, TimeSpan elapsed) => new JobWaitEvent(JobWaitEventKind.Round, null, jobs, elapsed);
    public static JobWaitEvent TimedOut(StudioJob job, TimeSpan elapsed) => new JobWaitEvent(JobWaitEventKind.TimedOut, job, Array.Empty<StudioJob>(), elapsed);
}
