using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>The body of pause and resume (PipelineInput), and of remove-job with its job id.</summary>
public sealed class PipelineInput
{
    /// <summary>The pipeline's team.</summary>
    public string TeamName { get; set; } = string.Empty;
    /// <summary>The pipeline id (or give the name).</summary>
    public string? PipelineId { get; set; }
    /// <summary>The pipeline name (or give the id).</summary>
    public string? Name { get; set; }

    /// <summary>For remove-job: the run to remove.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? JobId { get; set; }
}
