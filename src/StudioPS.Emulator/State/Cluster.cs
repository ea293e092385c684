namespace StudioPS.Emulator.State;

/// <summary>A compute cluster as ComputeClusterOutput describes it, plus the fields newer servers add.</summary>
public sealed class Cluster
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Status { get; set; } = "ACTIVE";
    public string? CloudProvider { get; set; }
    public string? CloudCredentials { get; set; }
    public bool IsActive { get; set; } = true;
    public bool Default { get; set; }
    public int MaxWorkers { get; set; } = 1;

    // Newer servers send these; written only when set so clients meet both shapes.
    public int? ActiveWorkers { get; set; }
    public int? BusyWorkers { get; set; }
    public string? CloudRegion { get; set; }
    public string? InstanceType { get; set; }
    public string? ComputeClass { get; set; }
    public int? DiskSize { get; set; }

    public static List<Cluster> Defaults() =>
    [
        new()
        {
            Id = 1, Name = "default-cluster", Status = "ACTIVE", CloudProvider = "AWS", CloudCredentials = "aws-prod",
            IsActive = true, Default = true, MaxWorkers = 10,
            ActiveWorkers = 2, BusyWorkers = 0, CloudRegion = "us-east-1", InstanceType = "m5.xlarge",
            ComputeClass = "standard", DiskSize = 100,
        },
        new()
        {
            Id = 2, Name = "gpu-cluster", Status = "ACTIVE", CloudProvider = "GCP", CloudCredentials = "gcp-ml",
            IsActive = true, Default = false, MaxWorkers = 4,
        },
        new()
        {
            Id = 3, Name = "old-cluster", Status = "INACTIVE", CloudProvider = "AWS", CloudCredentials = "aws-legacy",
            IsActive = false, Default = false, MaxWorkers = 2,
        },
    ];
}
