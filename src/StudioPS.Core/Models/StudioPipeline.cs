using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>A dataset pipeline: the graph of jobs that rebuild a dataset and what it depends on (JobPipelineOutput).</summary>
public sealed class StudioPipeline
{
    /// <summary>Statuses after which a pipeline changes no more.</summary>
    public static readonly IReadOnlyCollection<string> TerminalStatuses = new[] { "COMPLETED", "FAILED", "CANCELED" };

    /// <summary>Every pipeline status the module knows; another is still kept as sent.</summary>
    public static readonly IReadOnlyList<string> KnownStatuses = new[] { "PENDING", "RUNNING", "COMPLETED", "FAILED", "PAUSED", "CANCELED" };

    /// <summary>The pipeline id.</summary>
    [JsonPropertyName("pipeline_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }

    /// <summary>The pipeline name.</summary>
    public string? Name { get; set; }
    /// <summary>PENDING, RUNNING, COMPLETED, FAILED, PAUSED or CANCELED, as the server sent it.</summary>
    public string? Status { get; set; }
    /// <summary>Jobs of the pipeline that are done.</summary>
    public int? Completed { get; set; }
    /// <summary>Jobs in the pipeline.</summary>
    public int? Total { get; set; }
    /// <summary>Why the pipeline failed, as Studio says it.</summary>
    public string? ErrorMessage { get; set; }
    /// <summary>The server's trace of the failure.</summary>
    public string? ErrorStack { get; set; }
    /// <summary>The dataset the pipeline rebuilds.</summary>
    public string? TriggeredFrom { get; set; }
    /// <summary>When the pipeline was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
    /// <summary>When the pipeline last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }
    /// <summary>The pipeline's graph of jobs.</summary>
    public StudioPipelineJobRun[]? JobRuns { get; set; }

    /// <summary>Completed of total as a percentage; null while the total is unknown.</summary>
    [JsonIgnore]
    public int? PercentComplete => Total.HasValue && Total.Value > 0 && Completed.HasValue
        ? Math.Min(100, Completed.Value * 100 / Total.Value) : (int?)null;

    /// <summary>True once the status is one after which the pipeline changes no more.</summary>
    [JsonIgnore]
    public bool IsTerminal => IsTerminalStatus(Status);

    /// <summary>True for a status after which a pipeline changes no more.</summary>
    public static bool IsTerminalStatus(string? status) =>
        status != null && ((IList<string>)TerminalStatuses).Contains(status.ToUpperInvariant());

    /// <summary>The pipeline name (or id).</summary>
    public override string ToString() => Name ?? Id ?? string.Empty;
}
