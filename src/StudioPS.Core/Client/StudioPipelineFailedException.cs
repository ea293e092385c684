using System;
using StudioPS.Models;

namespace StudioPS.Client;

/// <summary>A pipeline that ended FAILED or CANCELED; it carries the pipeline (inside the PipelineFailed / PipelineCanceled error).</summary>
public sealed class StudioPipelineFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="pipeline"/>.</summary>
    public StudioPipelineFailedException(string message, StudioPipeline pipeline) : base(message)
    {
        Pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
    }

    /// <summary>The pipeline as it ended.</summary>
    public StudioPipeline Pipeline { get; }

    /// <summary>True when the pipeline was CANCELED rather than FAILED.</summary>
    public bool Canceled => string.Equals(Pipeline.Status, "CANCELED", StringComparison.OrdinalIgnoreCase);
}
