using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Session;

/// <summary>The job <see cref="JobLauncher"/> created, as last read, and how the launch ended.</summary>
internal sealed class JobLaunchResult
{
    public JobLaunchResult(StudioJob job, bool finished, string? warning)
    {
        Job = job;
        Finished = finished;
        Warning = warning;
    }

    public StudioJob Job { get; }

    /// <summary>True when the launch waited for the job to end: its outcome is to be reported.</summary>
    public bool Finished { get; }

    /// <summary>Why a wait that was asked for did not happen (the job is scheduled for later).</summary>
    public string? Warning { get; }
}
