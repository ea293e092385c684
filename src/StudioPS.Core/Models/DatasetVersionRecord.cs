using System;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>One entry of a dataset record's <c>versions</c>.</summary>
internal sealed class DatasetVersionRecord
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Uuid { get; set; }
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Version { get; set; }
    public int? Status { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? ErrorMessage { get; set; }
    public long? NumObjects { get; set; }
    public long? Size { get; set; }
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? JobId { get; set; }
}
