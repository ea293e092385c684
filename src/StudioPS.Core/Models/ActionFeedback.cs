using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>The document's ActionFeedback: <c>{"message": "Successfully canceled"}</c>.</summary>
public sealed class ActionFeedback
{
    /// <summary>What Studio said, e.g. "Successfully canceled".</summary>
    public string? Message { get; set; }
}
