using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StudioPS.Client;

namespace StudioPS.Waiting;

/// <summary>
/// What a person is told when a wait ends and the job goes on in Studio (Ctrl+C, a time-out), or
/// when a followed job ends without completing: one line with the job's id, its last status and the
/// command that stops it or follows it again. Also which jobs can still be stopped.
/// </summary>
internal static class JobGuidance
{
    /// <summary>Statuses from which a cancel can still change something (a TASK stops its schedule).</summary>
    public static readonly IReadOnlyList<string> StoppableStatuses = new[]
    {
        "CREATED", "SCHEDULED", "PROVISIONING", "QUEUED", "INIT", "RUNNING", "PENDING", "TASK",
    };

    /// <summary>True when Stop-StudioJob can still do something for a job in this status.</summary>
    public static bool CanStop(string? status) =>
        status != null && StoppableStatuses.Contains(status.Trim().ToUpperInvariant());

    /// <summary>The commands that stop a job and that follow it again, in one clause.</summary>
    public static string NextSteps(string id) =>
        $"stop it with 'Stop-StudioJob -Id {id}', or follow it again with 'Get-StudioJobLog -Id {id} -Follow'";

    /// <summary>A wait or a follow was stopped (Ctrl+C) while the job went on.</summary>
    public static string Interrupted(string id, string? status) =>
        $"Stopped waiting; job {id} is still {Describe(status)} in Studio: {NextSteps(id)}.";

    /// <summary>A wait ran out of time while the job went on.</summary>
    public static string TimedOut(string id, int? timeoutSec, string? status) =>
        string.Format(CultureInfo.InvariantCulture, "Job {0} did not finish within {1} s; it is still {2} in Studio: {3}.",
            id, timeoutSec?.ToString(CultureInfo.InvariantCulture) ?? "the time-out", Describe(status), NextSteps(id));

    /// <summary>A followed job ended CANCELED.</summary>
    public static string Canceled(string id, string? name) =>
        $"Job {id}{(string.IsNullOrEmpty(name) ? string.Empty : " (" + name + ")")} was CANCELED; its log ends here.";

    private static string Describe(string? status) =>
        string.IsNullOrWhiteSpace(status) ? "running (its status was not read yet)" : status!.Trim().ToUpperInvariant();
}
