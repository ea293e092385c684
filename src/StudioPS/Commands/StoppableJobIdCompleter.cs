using StudioPS.Models;
using StudioPS.Waiting;

namespace StudioPS.Commands;

/// <summary>
/// Completes Stop-StudioJob -Id with the team's jobs that a cancel can still change (queued, running,
/// scheduled, a cron TASK), asked of Studio by status (cached 30 s): a finished job is never offered.
/// </summary>
public sealed class StoppableJobIdCompleter : JobIdCompleter
{
    public StoppableJobIdCompleter()
        : base("stoppable-jobs", JobGuidance.StoppableStatuses)
    {
    }

    // The server filters by status; the check here also holds against one that ignores the filter.
    private protected override bool Offers(StudioJob job) => JobGuidance.CanStop(job.Status);
}
