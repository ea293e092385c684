using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>The answer to <c>datasets/export</c>: the export's id and a signed URL per part.</summary>
internal sealed class DatasetExportOutput
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ExportId { get; set; }
    public List<string?>? SignedUrls { get; set; }
}
