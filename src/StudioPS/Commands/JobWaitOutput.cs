using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Session;
using StudioPS.Waiting;

namespace StudioPS.Commands;

/// <summary>
/// Writes a wait for jobs (Wait-StudioJob, Stop-StudioJob -Wait, New-StudioJob -Wait -NoLog):
/// the polling is <see cref="JobWaiter"/>'s; this writes its progress, each job as it ends
/// (FAILED and CANCELED also as errors) and a time-out error for each job still going.
/// </summary>
internal static class JobWaitOutput
{
    public const int ActivityId = 4210;

    public static ProgressWriter Progress(StudioCmdlet cmdlet) => new ProgressWriter(cmdlet, ActivityId, "Waiting for Studio jobs");

    public static void Wait(StudioCmdlet cmdlet, StudioConnection connection, string team, IReadOnlyCollection<string> ids, int pollIntervalSec,
        int? timeoutSec, bool emit, bool canceledIsSuccess = false)
    {
        if (ids.Count == 0) return;
        var waiter = new JobWaiter(connection.Client, team, cmdlet);
        var progress = Progress(cmdlet);
        var unfinished = new List<StudioJob>();
        IReadOnlyList<StudioJob> latest = ids.Select(id => new StudioJob { Id = id }).ToList();
        try
        {
            // A COMPLETE job carries the dataset versions it created.
            var problems = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
            cmdlet.RunStream(token => JobDatasetVersions.WithDatasetVersions(waiter.WatchAsync(ids, TimeSpan.FromSeconds(pollIntervalSec),
                timeoutSec.HasValue ? TimeSpan.FromSeconds(timeoutSec.Value) : (TimeSpan?)null, token), connection.Client, team, cmdlet, problems, token), e =>
            {
                switch (e.Kind)
                {
                    case JobWaitEventKind.Finished:
                        if (problems.TryRemove(e.Job!.Id!, out var problem)) cmdlet.WriteWarning(problem);
                        if (emit) cmdlet.WriteObject(e.Job);
                        // A job the caller itself canceled ending CANCELED is the outcome asked for, not an error.
                        if (!(canceledIsSuccess && string.Equals(e.Job!.Status, "CANCELED", StringComparison.OrdinalIgnoreCase)))
                            ErrorRecords.WriteOutcome(cmdlet, e.Job!);
                        break;
                    case JobWaitEventKind.Round:
                        latest = e.Jobs;
                        WriteRound(progress, e.Jobs, e.Elapsed);
                        break;
                    case JobWaitEventKind.TimedOut:
                        unfinished.Add(e.Job!);
                        break;
                }
            });
        }
        catch (PipelineStoppedException) when (cmdlet.Stopping)
        {
            // Ctrl+C: the jobs go on in Studio; say which, and how to stop or follow them.
            foreach (var job in latest.Where(j => !j.IsTerminal))
                StopNotice.Write(cmdlet, JobGuidance.Interrupted(job.Id!, job.Status));
            throw;
        }
        progress.Complete();
        foreach (var job in unfinished)
            cmdlet.WriteError(ErrorRecords.WaitTimeout(Outcomes.TimedOut(job, timeoutSec), job));
    }

    /// <summary>The state after a round: an overall record (done of total, the running jobs) and one child record per job.</summary>
    public static void WriteRound(ProgressWriter progress, IReadOnlyList<StudioJob> jobs, TimeSpan elapsed)
    {
        var done = jobs.Count(j => j.IsTerminal);
        var running = jobs.Where(j => !j.IsTerminal).Take(5).Select(j => (j.Name ?? j.Id) + " " + (j.Status ?? "?"));
        var record = new ProgressRecord(ActivityId, $"Waiting for {jobs.Count} Studio job{(jobs.Count == 1 ? string.Empty : "s")}",
            jobs.Count == 1
                ? $"{jobs[0].Status ?? "?"} after {elapsed.TotalSeconds:0} s"
                : $"{done} of {jobs.Count} finished; {string.Join(", ", running)}")
        {
            PercentComplete = jobs.Count == 0 ? 100 : done * 100 / jobs.Count,
        };
        progress.Write(record);
        var child = ActivityId + 1;
        foreach (var job in jobs.Take(10))
        {
            progress.Write(new ProgressRecord(child++, $"Job {job.Name ?? job.Id}", job.Status ?? "?")
            {
                ParentActivityId = ActivityId,
                RecordType = job.IsTerminal ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            });
        }
    }
}
