using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>A compute cluster, as <c>GET /api/datachain/clusters/</c> returns it.</summary>
public sealed class StudioCluster
{
    /// <summary>The cluster id.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }
    /// <summary>The cluster name (pass it to a job's cluster name).</summary>
    public string? Name { get; set; }
    /// <summary>The cluster's status, e.g. ACTIVE.</summary>
    public string? Status { get; set; }
    /// <summary>The cloud it runs in.</summary>
    public string? CloudProvider { get; set; }
    /// <summary>The name of the cloud credentials it uses.</summary>
    public string? CloudCredentials { get; set; }
    /// <summary>Whether the cluster is active.</summary>
    public bool? IsActive { get; set; }

    /// <summary>True for the team's default cluster.</summary>
    [JsonPropertyName("default")]
    public bool? IsDefault { get; set; }

    /// <summary>The most workers a job may ask for.</summary>
    public int? MaxWorkers { get; set; }

    // Newer servers send these; older ones leave them null.
    /// <summary>Workers running now (newer servers).</summary>
    public int? ActiveWorkers { get; set; }
    /// <summary>Workers busy with jobs now (newer servers).</summary>
    public int? BusyWorkers { get; set; }
    /// <summary>The cloud region (newer servers).</summary>
    public string? CloudRegion { get; set; }
    /// <summary>The machine type (newer servers).</summary>
    public string? InstanceType { get; set; }
    /// <summary>The compute class (newer servers).</summary>
    public string? ComputeClass { get; set; }

    /// <summary>The disk size, as the server states it (newer servers).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? DiskSize { get; set; }

    /// <summary>The cluster name.</summary>
    public override string ToString() => Name ?? Id ?? string.Empty;
}
