using StudioPS.Client;

namespace StudioPS.Waiting;

/// <summary>What a <see cref="JobWaitEvent"/> reports.</summary>
internal enum JobWaitEventKind
{
    /// <summary>A job reached a terminal status (reported once per job).</summary>
    Finished,

    /// <summary>A poll round ended: the state of every job, for progress.</summary>
    Round,

    /// <summary>The time-out passed with this job still going.</summary>
    TimedOut,
}
