using System.Buffers;
using System.Text.Json;

namespace StudioPS.Emulator.State;

/// <summary>
/// The cluster list. It changes only through settings or the control API, so both response shapes are
/// serialized once per change: GET clusters/ then costs one memory copy, keeping benchmarks client-bound.
/// </summary>
public sealed class ClusterCatalog
{
    sealed record Snapshot(Cluster[] Clusters, byte[] Bare, byte[] Wrapped);

    volatile Snapshot _snapshot;
    readonly Cluster[] _initial;

    public ClusterCatalog(IEnumerable<Cluster> clusters)
    {
        _initial = clusters.ToArray();
        _snapshot = Build(_initial);
    }

    public IReadOnlyList<Cluster> All => _snapshot.Clusters;
    public byte[] BareJson => _snapshot.Bare;
    public byte[] WrappedJson => _snapshot.Wrapped;

    public void Replace(IEnumerable<Cluster> clusters) => _snapshot = Build(clusters.ToArray());

    public void Reset() => _snapshot = Build(_initial);

    public Cluster? FindByName(string name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
    public Cluster? FindById(int id) => All.FirstOrDefault(c => c.Id == id);
    public Cluster? Default => All.FirstOrDefault(c => c.Default) ?? All.FirstOrDefault(c => c.IsActive);

    static Snapshot Build(Cluster[] clusters) => new(clusters, Serialize(clusters, wrap: false), Serialize(clusters, wrap: true));

    static byte[] Serialize(Cluster[] clusters, bool wrap)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, Json.WriterOptions))
        {
            if (wrap) { w.WriteStartObject(); w.WritePropertyName("clusters"); }
            w.WriteStartArray();
            foreach (var c in clusters) Write(w, c);
            w.WriteEndArray();
            if (wrap) w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter w, Cluster c)
    {
        w.WriteStartObject();
        w.WriteNumber("id", c.Id);
        w.WriteString("name", c.Name);
        w.WriteString("status", c.Status);
        w.WriteString("cloud_provider", c.CloudProvider);
        w.WriteString("cloud_credentials", c.CloudCredentials);
        w.WriteBoolean("is_active", c.IsActive);
        w.WriteBoolean("default", c.Default);
        w.WriteNumber("max_workers", c.MaxWorkers);
        if (c.ActiveWorkers is { } aw) w.WriteNumber("active_workers", aw);
        if (c.BusyWorkers is { } bw) w.WriteNumber("busy_workers", bw);
        if (c.CloudRegion is not null) w.WriteString("cloud_region", c.CloudRegion);
        if (c.InstanceType is not null) w.WriteString("instance_type", c.InstanceType);
        if (c.ComputeClass is not null) w.WriteString("compute_class", c.ComputeClass);
        if (c.DiskSize is { } ds) w.WriteNumber("disk_size", ds);
        w.WriteEndObject();
    }
}
