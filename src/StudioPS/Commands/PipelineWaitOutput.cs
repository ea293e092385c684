using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Session;
using StudioPS.Waiting;

namespace StudioPS.Commands;

/// <summary>
/// Writes a wait for a pipeline (Wait-StudioPipeline, Invoke-StudioPipeline -Wait): the polling is
/// <see cref="PipelineWaiter"/>'s; this writes progress (completed of total, the running jobs),
/// the final pipeline, and an error for FAILED, CANCELED or a time-out. A time-out or Ctrl+C names
/// the pipeline, its last status and the commands that pause or follow it (<see cref="PipelineGuidance"/>).
/// </summary>
internal static class PipelineWaitOutput
{
    private const int ActivityId = 4310;

    /// <param name="known">The pipeline as last seen before the wait (Invoke-StudioPipeline's trigger answer), for a Ctrl+C before the first poll.</param>
    public static void Wait(StudioCmdlet cmdlet, StudioConnection connection, string team, string? name, string? id, int pollIntervalSec, int? timeoutSec,
        StudioPipeline? known = null)
    {
        var waiter = new PipelineWaiter(connection.Client, team, cmdlet);
        var progress = new ProgressWriter(cmdlet, ActivityId, "Waiting for a Studio pipeline");
        var latest = known ?? new StudioPipeline { Name = name, Id = id };
        StudioPipeline pipeline;
        bool timedOut;
        try
        {
            (pipeline, timedOut) = cmdlet.Run(token => waiter.WaitAsync(name, id, TimeSpan.FromSeconds(pollIntervalSec),
                timeoutSec.HasValue ? TimeSpan.FromSeconds(timeoutSec.Value) : (TimeSpan?)null,
                current =>
                {
                    Volatile.Write(ref latest, current);
                    progress.Write(Record(current));
                    return Task.CompletedTask;
                }, token));
        }
        catch (PipelineStoppedException) when (cmdlet.Stopping)
        {
            // Ctrl+C: the pipeline goes on in Studio; say which, where it stood, and how to pause or follow it.
            var last = Volatile.Read(ref latest);
            if (!last.IsTerminal) StopNotice.Write(cmdlet, PipelineGuidance.Interrupted(last));
            throw;
        }
        progress.Complete();
        cmdlet.WriteObject(pipeline);
        if (timedOut) cmdlet.WriteError(ErrorRecords.WaitTimeout(Outcomes.TimedOut(pipeline, timeoutSec), pipeline));
        else ErrorRecords.WriteOutcome(cmdlet, pipeline);
    }

    private static ProgressRecord Record(StudioPipeline pipeline)
    {
        var running = (pipeline.JobRuns ?? new StudioPipelineJobRun[0])
            .Where(r => string.Equals(r.Status, "RUNNING", StringComparison.OrdinalIgnoreCase)).Select(r => r.Name ?? r.JobId).Take(5).ToList();
        var status = string.Format(CultureInfo.InvariantCulture, "{0}: {1} of {2} jobs done{3}", pipeline.Status,
            pipeline.Completed ?? 0, pipeline.Total?.ToString(CultureInfo.InvariantCulture) ?? "?",
            running.Count == 0 ? string.Empty : "; running: " + string.Join(", ", running));
        return new ProgressRecord(ActivityId, $"Waiting for pipeline {pipeline.Name ?? pipeline.Id}", status)
        {
            PercentComplete = pipeline.PercentComplete ?? 0,
        };
    }
}
