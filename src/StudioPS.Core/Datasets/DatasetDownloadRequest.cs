using System;
using StudioPS.Client;

namespace StudioPS.Datasets;

/// <summary>What <see cref="DatasetDownloader"/> saves, and where.</summary>
internal sealed class DatasetDownloadRequest
{
    public string Team { get; set; } = string.Empty;
    public string Namespace { get; set; } = string.Empty;
    public string Project { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string Version { get; set; } = string.Empty;

    /// <summary>The folder the parts go into (created when missing, removed again if this run fails).</summary>
    public string Folder { get; set; } = string.Empty;

    /// <summary>Keep the parts as sent (LZ4 frames) instead of decompressing them to parquet.</summary>
    public bool Raw { get; set; }

    /// <summary>Parts downloaded at the same time.</summary>
    public int MaxParallel { get; set; } = 4;

    /// <summary>How often the export's status is read while parts are missing.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long to wait before asking again for a part that answered 404 (not written yet).</summary>
    public TimeSpan PartRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The file name of part <paramref name="index"/>: <c>name@version.00003.parquet</c> (<c>.parquet.lz4</c> raw).</summary>
    public string FileName(int index) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}@{1}.{2:D5}.parquet{3}", Name, Version, index, Raw ? ".lz4" : string.Empty);
}
