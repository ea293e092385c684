using System.Collections.Generic;

namespace StudioPS.Models;

/// <summary>The official client's body of <c>POST pipeline/trigger</c>: several datasets in one pipeline.</summary>
public sealed class TriggerPipelinesInput
{
    /// <summary>Each as <c>@namespace.project.name[@version]</c> or a short name.</summary>
    public List<string> Datasets { get; set; } = new List<string>();

    /// <summary>Create the pipeline PAUSED, for review.</summary>
    public bool Review { get; set; }

    /// <summary>The team the pipeline runs in.</summary>
    public string TeamName { get; set; } = string.Empty;
}
