using System;
using System.Globalization;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Waiting;

/// <summary>What a finished (or timed-out) job or pipeline means for the caller, in words: failures as exceptions, time-outs as messages.</summary>
internal static class Outcomes
{
    /// <summary>The failure of a job that ended FAILED or CANCELED; null for any other status.</summary>
    public static StudioJobFailedException? Of(StudioJob job)
    {
        var status = job.Status?.ToUpperInvariant();
        var name = job.Name == null ? string.Empty : " (" + job.Name + ")";
        if (status == "FAILED")
            return new StudioJobFailedException(string.Format(CultureInfo.InvariantCulture, "Job {0}{1} FAILED with exit code {2}{3}",
                job.Id, name, job.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown",
                string.IsNullOrEmpty(job.ErrorMessage) ? "." : ": " + job.ErrorMessage), job);
        if (status == "CANCELED")
            return new StudioJobFailedException($"Job {job.Id}{name} was CANCELED.", job);
        return null;
    }

    /// <summary>The failure of a pipeline that ended FAILED or CANCELED; null for any other status.</summary>
    public static StudioPipelineFailedException? Of(StudioPipeline pipeline)
    {
        var status = pipeline.Status?.ToUpperInvariant();
        if (status != "FAILED" && status != "CANCELED") return null;
        return new StudioPipelineFailedException(string.Format(CultureInfo.InvariantCulture, "Pipeline {0} {1} after {2} of {3} jobs{4}",
            pipeline.Name ?? pipeline.Id, status, pipeline.Completed, pipeline.Total,
            string.IsNullOrEmpty(pipeline.ErrorMessage) ? "." : ": " + pipeline.ErrorMessage), pipeline);
    }

    /// <summary>The job goes on in Studio: its id, its last status and the commands that stop or follow it (<see cref="JobGuidance"/>).</summary>
    public static string TimedOut(StudioJob job, int? timeoutSec) => JobGuidance.TimedOut(job.Id ?? "?", timeoutSec, job.Status);

    /// <summary>The pipeline goes on in Studio: its name and id, its last status and the commands that pause or follow it (<see cref="PipelineGuidance"/>).</summary>
    public static string TimedOut(StudioPipeline pipeline, int? timeoutSec) => PipelineGuidance.TimedOut(pipeline, timeoutSec);

    /// <summary>Why -Wait does not wait for a scheduled job; null when the job runs now.</summary>
    public static string? Scheduled(StudioJob job, DateTimeOffset? startAfter, string? cron, DateTimeOffset now)
    {
        if (cron != null)
            return $"Job {job.Id} is scheduled with cron '{cron}': it runs on that schedule, so -Wait does not wait for it.";
        if (startAfter.HasValue && startAfter.Value > now)
            return $"Job {job.Id} is scheduled to start after {startAfter:u}: it has not run yet, so -Wait does not wait for it.";
        return null;
    }
}
