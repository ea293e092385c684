using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Logs;
using StudioPS.Models;

namespace StudioPS.Session;

/// <summary>What <see cref="JobLauncher"/> reports while it works; the module writes it to PowerShell's streams.</summary>
internal interface IJobLaunchObserver
{
    /// <summary>An upload of <paramref name="length"/> bytes begins; the returned progress (if any) gets the bytes sent so far.</summary>
    IProgress<long>? UploadStarted(string path, long length);

    /// <summary>An upload ended: with the file Studio made, or null when it failed.</summary>
    void UploadEnded(string path, StudioFile? file);

    /// <summary>The job was created (before any wait begins): the one moment its id is known to a Ctrl+C.</summary>
    void Created(StudioJob job);

    /// <summary>
    /// The log lines, warnings and status changes of the job being followed, as one frame brought them
    /// (one hand-over per frame, not per line); the follow waits for the returned task.
    /// </summary>
    Task LogEventsAsync(IReadOnlyList<LogEvent> logEvents, CancellationToken cancellationToken);

    /// <summary>A status round of a wait without the log.</summary>
    void WaitRound(IReadOnlyList<StudioJob> jobs, TimeSpan elapsed);
}
