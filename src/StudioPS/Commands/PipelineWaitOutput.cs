using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Session;
using StudioPS.Waiting;

namespace StudioPS.Commands;

/// <summary>
/// Writes a wait for a pipeline (Wait-StudioPipeline, Invoke-StudioPipeline -Wait): the polling is
/// <see cref="PipelineWaiter"/>'s; this writes progress (completed of total, the running jobs),
/// the final pipeline, and an error for FAILED, CANCELED or a time-out.
/// </summary>
internal static class PipelineWaitOutput
{
    private const int ActivityId = 4310;

    public static void Wait(StudioCmdlet cmdlet, StudioConnection connection, string team, string? name, string? id, int pollIntervalSec, int? timeoutSec)
    {
        var waiter = new PipelineWaiter(connection.Client, team, cmdlet);
        var progress = new ProgressWriter(cmdlet, ActivityId, "Waiting for a Studio pipeline");
        var (pipeline, timedOut) = cmdlet.Run(token => waiter.WaitAsync(name, id, TimeSpan.FromSeconds(pollIntervalSec),
            timeoutSec.HasValue ? TimeSpan.FromSeconds(timeoutSec.Value) : (TimeSpan?)null,
            current =>
            {
                progress.Write(Record(current));
                return Task.CompletedTask;
            }, token));
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
