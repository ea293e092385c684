using System;

namespace StudioPS.Models;

/// <summary>One version of a Studio dataset.</summary>
public sealed class StudioDatasetVersion
{
    /// <summary>The dataset's full name, <c>namespace.project.name</c>.</summary>
    public string? Dataset { get; set; }

    /// <summary>The version, e.g. <c>1.0.2</c>.</summary>
    public string? Version { get; set; }

    /// <summary>The status as a name (COMPLETE, FAILED, ...), from <see cref="StatusCode"/>.</summary>
    public string? Status { get; set; }

    /// <summary>The numeric status Studio sent.</summary>
    public int? StatusCode { get; set; }

    /// <summary>When the version was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When the version was finished; null while it is built.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Rows (objects) in the version.</summary>
    public long? Rows { get; set; }

    /// <summary>Size in bytes.</summary>
    public long? Size { get; set; }

    /// <summary>Why building the version failed, when it did.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>The job that created the version, where Studio says.</summary>
    public string? JobId { get; set; }

    /// <summary>Studio's id of the version.</summary>
    public string? Id { get; set; }

    /// <summary>Studio's uuid of the version.</summary>
    public string? Uuid { get; set; }

    /// <summary><c>namespace.project.name@version</c>: what dataset cmdlets read from the pipeline.</summary>
    public override string ToString() => (Dataset ?? string.Empty) + "@" + (Version ?? string.Empty);

    internal static StudioDatasetVersion From(DatasetVersionRecord record, string? dataset) => new StudioDatasetVersion
    {
        Dataset = dataset,
        Version = record.Version,
        StatusCode = record.Status,
        Status = DatasetVersionStatus.NameOf(record.Status),
        CreatedAt = record.CreatedAt,
        FinishedAt = record.FinishedAt,
        Rows = record.NumObjects,
        Size = record.Size,
        ErrorMessage = record.ErrorMessage,
        JobId = record.JobId,
        Id = record.Id,
        Uuid = record.Uuid,
    };
}
