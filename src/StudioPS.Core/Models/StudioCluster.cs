using System.Text.Json.Serialization;

namespace StudioPS.Models
{
    /// <summary>A compute cluster, as <c>GET /api/datachain/clusters/</c> returns it.</summary>
    public sealed class StudioCluster
    {
        [JsonConverter(typeof(FlexibleStringConverter))]
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Status { get; set; }
        public string? CloudProvider { get; set; }
        public string? CloudCredentials { get; set; }
        public bool? IsActive { get; set; }

        [JsonPropertyName("default")]
        public bool? IsDefault { get; set; }

        public int? MaxWorkers { get; set; }

        // Newer servers send these; older ones leave them null.
        public int? ActiveWorkers { get; set; }
        public int? BusyWorkers { get; set; }
        public string? CloudRegion { get; set; }
        public string? InstanceType { get; set; }
        public string? ComputeClass { get; set; }

        [JsonConverter(typeof(FlexibleStringConverter))]
        public string? DiskSize { get; set; }

        public override string ToString() => Name ?? Id ?? string.Empty;
    }
}
