using StudioPS.Client;

namespace StudioPS.Datasets;

/// <summary>Where a dataset download stands: Studio's export and the parts saved here.</summary>
internal sealed class DatasetDownloadProgress
{
    public string? ExportStatus { get; set; }
    public int? FilesDone { get; set; }
    public int? NumFiles { get; set; }
    public int PartsSaved { get; set; }
    public int PartsTotal { get; set; }
    public long BytesSaved { get; set; }
}
