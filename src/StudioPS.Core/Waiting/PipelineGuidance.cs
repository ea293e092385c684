using System.Globalization;
using StudioPS.Models;

namespace StudioPS.Waiting;

/// <summary>
/// What a person is told when a wait for a pipeline ends and the pipeline goes on in Studio (Ctrl+C,
/// a time-out): one line with the pipeline's name and id, its last status and progress, and the
/// commands that pause it or follow it again, as <see cref="JobGuidance"/> says it for a job.
/// </summary>
internal static class PipelineGuidance
{
    /// <summary>The commands that pause a pipeline (Studio has no cancel for one) and that wait for it again, in one clause.</summary>
    public static string NextSteps(string? name, string? id)
    {
        // The id names this run exactly; a name may be reused by a newer run.
        var selector = !string.IsNullOrWhiteSpace(id) ? "-Id " + id : "-Name '" + (name ?? string.Empty).Replace("'", "''") + "'";
        return $"pause it with 'Suspend-StudioPipeline {selector}', or follow it again with 'Wait-StudioPipeline {selector}'";
    }

    /// <summary>A wait was stopped (Ctrl+C) while the pipeline went on.</summary>
    public static string Interrupted(StudioPipeline pipeline) =>
        $"Stopped waiting; pipeline {Label(pipeline)} is still {State(pipeline)} in Studio: {NextSteps(pipeline.Name, pipeline.Id)}.";

    /// <summary>A wait ran out of time while the pipeline went on.</summary>
    public static string TimedOut(StudioPipeline pipeline, int? timeoutSec) =>
        string.Format(CultureInfo.InvariantCulture, "Pipeline {0} did not finish within {1} s; it is still {2} in Studio: {3}.",
            Label(pipeline), timeoutSec?.ToString(CultureInfo.InvariantCulture) ?? "the time-out", State(pipeline), NextSteps(pipeline.Name, pipeline.Id));

    private static string Label(StudioPipeline pipeline) =>
        string.IsNullOrWhiteSpace(pipeline.Name) ? pipeline.Id ?? "?"
        : string.IsNullOrWhiteSpace(pipeline.Id) ? pipeline.Name! : $"{pipeline.Name} ({pipeline.Id})";

    private static string State(StudioPipeline pipeline)
    {
        var status = string.IsNullOrWhiteSpace(pipeline.Status) ? "running (its status was not read yet)" : pipeline.Status!.Trim().ToUpperInvariant();
        return pipeline.Total.HasValue
            ? string.Format(CultureInfo.InvariantCulture, "{0} with {1} of {2} jobs done", status, pipeline.Completed ?? 0, pipeline.Total.Value)
            : status;
    }
}
