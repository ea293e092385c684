using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>The <c>namespace</c> of a dataset's project.</summary>
internal sealed class DatasetNamespaceRecord
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }
    public string? Name { get; set; }
}
