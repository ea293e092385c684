using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>The body of <c>POST pipeline/trigger</c> (the document's TriggerPipelineInput).</summary>
public sealed class TriggerPipelineInput
{
    /// <summary>The dataset's namespace.</summary>
    public string? NamespaceName { get; set; }
    /// <summary>The dataset's project.</summary>
    public string? ProjectName { get; set; }
    /// <summary>The dataset's name.</summary>
    public string DatasetName { get; set; } = string.Empty;
    /// <summary>The dataset version; null for the latest.</summary>
    public string? Version { get; set; }
    /// <summary>The team.</summary>
    public string TeamName { get; set; } = string.Empty;
    /// <summary>Create the pipeline PAUSED, for review before any job runs.</summary>
    public bool Review { get; set; }
}
