namespace StudioPS.Emulator.State;

/// <summary>Numeric version statuses as the service sends them.</summary>
public static class DatasetVersionCode
{
    public const int Created = 1;
    public const int Pending = 2;
    public const int Failed = 3;
    public const int Complete = 4;
    public const int Stale = 6;
    public const int Removing = 7;
    public const int Removed = 8;
}

/// <summary>One version of a stored dataset.</summary>
public sealed class StoredDatasetVersion
{
    public required int Id { get; init; }
    public required string Uuid { get; init; }
    public required string Version { get; init; }
    public int Status { get; set; } = DatasetVersionCode.Complete;
    public DateTime CreatedAt { get; init; } = DateTime.UtcNow;
    public DateTime? FinishedAt { get; set; }
    public string? ErrorMessage { get; set; }
    public long Rows { get; set; }
    public long Size { get; set; }
    /// <summary>How many parts an export of this version has.</summary>
    public int Parts { get; set; } = 3;
    public string? JobId { get; init; }
    /// <summary>Emulated milliseconds Studio takes to write each part of an export.</summary>
    public double PartDelayMs { get; set; } = 400;
    /// <summary>When true an export of this version fails halfway (status "failed").</summary>
    public bool ExportFails { get; set; }
}
