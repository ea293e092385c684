using System;
using System.Linq;

namespace StudioPS.Models;

/// <summary>A Studio dataset with its versions.</summary>
public sealed class StudioDataset
{
    /// <summary><c>namespace.project.name</c> (a personal namespace keeps its <c>@</c>).</summary>
    public string? FullName { get; set; }

    /// <summary>The namespace, e.g. <c>@alice</c> or <c>dev</c>.</summary>
    public string? Namespace { get; set; }

    /// <summary>The project within the namespace.</summary>
    public string? Project { get; set; }

    /// <summary>The dataset's own (short) name.</summary>
    public string? Name { get; set; }

    /// <summary>The dataset's description.</summary>
    public string? Description { get; set; }

    /// <summary>The dataset's attributes (Studio's <c>attrs</c>).</summary>
    public string[] Attributes { get; set; } = Array.Empty<string>();

    /// <summary>Every version Studio listed, oldest first.</summary>
    public StudioDatasetVersion[] Versions { get; set; } = Array.Empty<StudioDatasetVersion>();

    /// <summary>The highest version, or null when there is none.</summary>
    public StudioDatasetVersion? LatestVersion { get; set; }

    /// <summary>The newest creation or finish time among the versions.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Studio's id of the dataset.</summary>
    public string? Id { get; set; }

    /// <summary>Studio's uuid of the dataset.</summary>
    public string? Uuid { get; set; }

    /// <summary>The full name: what dataset cmdlets read from the pipeline.</summary>
    public override string ToString() => FullName ?? Name ?? string.Empty;

    internal static StudioDataset From(DatasetRecord record)
    {
        var ns = record.Project?.Namespace?.Name;
        var project = record.Project?.Name;
        var full = ns != null && project != null ? ns + "." + project + "." + record.Name : record.Name;
        var versions = (record.Versions ?? new System.Collections.Generic.List<DatasetVersionRecord?>())
            .Where(v => v != null)
            .Select(v => StudioDatasetVersion.From(v!, full))
            .OrderBy(v => v.Version, DatasetVersionComparer.Instance)
            .ToArray();
        return new StudioDataset
        {
            FullName = full,
            Namespace = ns,
            Project = project,
            Name = record.Name,
            Description = record.Description,
            Attributes = (record.Attrs ?? new System.Collections.Generic.List<string?>()).Where(a => a != null).Select(a => a!).ToArray(),
            Versions = versions,
            LatestVersion = versions.LastOrDefault(),
            UpdatedAt = versions.Select(v => v.FinishedAt ?? v.CreatedAt).Where(t => t.HasValue).OrderBy(t => t).LastOrDefault(),
            Id = record.Id,
            Uuid = record.Uuid,
        };
    }
}
