using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>The trigger, pause, resume and remove-job responses: <c>{ok, pipeline}</c>.</summary>
internal sealed class PipelineOutput
{
    public bool? Ok { get; set; }
    public StudioPipeline? Pipeline { get; set; }
    public string? Message { get; set; }
    public string? Error { get; set; }
}
