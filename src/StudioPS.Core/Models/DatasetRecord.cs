using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>A dataset as <c>datachain/datasets</c> and <c>datasets/info</c> send it; mapped to <see cref="StudioDataset"/>.</summary>
internal sealed class DatasetRecord
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public List<string?>? Attrs { get; set; }
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Uuid { get; set; }
    public DatasetProjectRecord? Project { get; set; }
    public List<DatasetVersionRecord?>? Versions { get; set; }
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? JobId { get; set; }
}
