namespace StudioPS.Models;

/// <summary>The answer to <c>datasets/export-status</c>.</summary>
internal sealed class DatasetExportStatus
{
    public string? Status { get; set; }
    public int? FilesDone { get; set; }
    public int? NumFiles { get; set; }
    public string? ErrorMessage { get; set; }

    public bool IsFailed => string.Equals(Status, "failed", System.StringComparison.OrdinalIgnoreCase);
    public bool IsRemoved => string.Equals(Status, "removed", System.StringComparison.OrdinalIgnoreCase);
    public bool IsCompleted => string.Equals(Status, "completed", System.StringComparison.OrdinalIgnoreCase);
}
