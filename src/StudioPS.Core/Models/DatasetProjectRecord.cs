using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>The <c>project</c> of a dataset record, with its <c>namespace</c>.</summary>
internal sealed class DatasetProjectRecord
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }
    public string? Name { get; set; }
    public DatasetNamespaceRecord? Namespace { get; set; }
}
