using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>One step of a job (include_steps=true).</summary>
public sealed class StudioJobStep
{
    /// <summary>The step's name.</summary>
    public string? Name { get; set; }
    /// <summary>The step's label, for people.</summary>
    public string? Label { get; set; }
    /// <summary>The step's status.</summary>
    public string? Status { get; set; }
    /// <summary>When the step started.</summary>
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>When the step ended.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The label and status.</summary>
    public override string ToString() => (Label ?? Name ?? string.Empty) + " " + Status;
}
