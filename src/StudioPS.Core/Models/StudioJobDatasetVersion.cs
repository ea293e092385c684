using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>A dataset version a job created (<c>datasets/dataset_job_versions</c>).</summary>
public sealed class StudioJobDatasetVersion
{
    /// <summary>The dataset's name as Studio sent it.</summary>
    [JsonPropertyName("dataset_name")]
    public string? Dataset { get; set; }

    /// <summary>The version the job created.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Version { get; set; }

    /// <summary><c>dataset@version</c>: what dataset cmdlets read from the pipeline.</summary>
    public override string ToString() => (Dataset ?? string.Empty) + "@" + (Version ?? string.Empty);
}
