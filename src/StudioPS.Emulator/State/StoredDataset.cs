namespace StudioPS.Emulator.State;

/// <summary>A dataset of one team: namespace, project, name and versions. Guarded by the store's lock.</summary>
public sealed class StoredDataset
{
    public required int Id { get; init; }
    public required string Uuid { get; init; }
    public required string Team { get; init; }
    public required string Namespace { get; init; }
    public required string Project { get; init; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public List<string> Attrs { get; set; } = [];
    public List<StoredDatasetVersion> Versions { get; } = [];
    public bool Removed { get; set; }

    public string FullName => $"{Namespace}.{Project}.{Name}";

    /// <summary>The next version after the highest: the patch number goes up, as the official client's default.</summary>
    public string NextVersion()
    {
        var latest = Versions.Select(v => v.Version).OrderBy(v => v, VersionOrder.Instance).LastOrDefault();
        if (latest is null) return "1.0.0";
        var parts = latest.Split('.');
        if (parts.Length == 3 && int.TryParse(parts[2], out int patch)) return $"{parts[0]}.{parts[1]}.{patch + 1}";
        return latest + ".1";
    }
}

/// <summary>Orders "1.0.10" after "1.0.9".</summary>
public sealed class VersionOrder : IComparer<string>
{
    public static readonly VersionOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        var a = (x ?? "").Split('.');
        var b = (y ?? "").Split('.');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length) return -1;
            if (i >= b.Length) return 1;
            int c = int.TryParse(a[i], out int na) && int.TryParse(b[i], out int nb) ? na.CompareTo(nb) : string.CompareOrdinal(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }
}
