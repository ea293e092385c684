using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace StudioPS.Models
{
    /// <summary>A dataset pipeline: the graph of jobs that rebuild a dataset and what it depends on (JobPipelineOutput).</summary>
    public sealed class StudioPipeline
    {
        public static readonly IReadOnlyCollection<string> TerminalStatuses = new[] { "COMPLETED", "FAILED", "CANCELED" };

        public static readonly IReadOnlyList<string> KnownStatuses = new[] { "PENDING", "RUNNING", "COMPLETED", "FAILED", "PAUSED", "CANCELED" };

        [JsonPropertyName("pipeline_id")]
        [JsonConverter(typeof(FlexibleStringConverter))]
        public string? Id { get; set; }

        public string? Name { get; set; }
        public string? Status { get; set; }
        public int? Completed { get; set; }
        public int? Total { get; set; }
        public string? ErrorMessage { get; set; }
        public string? ErrorStack { get; set; }
        public string? TriggeredFrom { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public StudioPipelineJobRun[]? JobRuns { get; set; }

        /// <summary>Completed of total as a percentage; null while the total is unknown.</summary>
        [JsonIgnore]
        public int? PercentComplete => Total.HasValue && Total.Value > 0 && Completed.HasValue
            ? Math.Min(100, Completed.Value * 100 / Total.Value) : (int?)null;

        [JsonIgnore]
        public bool IsTerminal => IsTerminalStatus(Status);

        public static bool IsTerminalStatus(string? status) =>
            status != null && ((IList<string>)TerminalStatuses).Contains(status.ToUpperInvariant());

        public override string ToString() => Name ?? Id ?? string.Empty;
    }

    /// <summary>One job of a pipeline's graph (JobPipelineRunOutput).</summary>
    public sealed class StudioPipelineJobRun
    {
        [JsonConverter(typeof(FlexibleStringConverter))]
        public string? JobId { get; set; }

        public string? Name { get; set; }
        public string? Status { get; set; }
        public string[]? ParentJobIds { get; set; }

        /// <summary>The Studio job this run created once it started (null while it waits).</summary>
        [JsonConverter(typeof(FlexibleStringConverter))]
        public string? CreatedJobId { get; set; }

        public override string ToString() => (Name ?? JobId ?? string.Empty) + " " + Status;
    }

    /// <summary>The trigger, pause, resume and remove-job responses: <c>{ok, pipeline}</c>.</summary>
    public sealed class PipelineOutput
    {
        public bool? Ok { get; set; }
        public StudioPipeline? Pipeline { get; set; }
        public string? Message { get; set; }
        public string? Error { get; set; }
    }

    /// <summary>The body of <c>POST pipeline/trigger</c> (the document's TriggerPipelineInput).</summary>
    public sealed class TriggerPipelineInput
    {
        public string? NamespaceName { get; set; }
        public string? ProjectName { get; set; }
        public string DatasetName { get; set; } = string.Empty;
        public string? Version { get; set; }
        public string TeamName { get; set; } = string.Empty;
        public bool Review { get; set; }
    }

    /// <summary>The body of pause and resume (PipelineInput), and of remove-job with its job id.</summary>
    public sealed class PipelineInput
    {
        public string TeamName { get; set; } = string.Empty;
        public string? PipelineId { get; set; }
        public string? Name { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? JobId { get; set; }
    }
}
