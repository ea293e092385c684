using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>One job of a pipeline's graph (JobPipelineRunOutput).</summary>
public sealed class StudioPipelineJobRun
{
    /// <summary>The run's id in the pipeline's graph.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? JobId { get; set; }

    /// <summary>The run's name.</summary>
    public string? Name { get; set; }
    /// <summary>The run's status.</summary>
    public string? Status { get; set; }
    /// <summary>The runs that must finish before this one starts.</summary>
    public string[]? ParentJobIds { get; set; }

    /// <summary>The Studio job this run created once it started (null while it waits).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? CreatedJobId { get; set; }

    /// <summary>The name and status.</summary>
    public override string ToString() => (Name ?? JobId ?? string.Empty) + " " + Status;
}
