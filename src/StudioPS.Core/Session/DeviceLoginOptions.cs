using System.Collections.Generic;

namespace StudioPS.Session;

/// <summary>What a device sign-in asks Studio for.</summary>
internal sealed class DeviceLoginOptions
{
    /// <summary>Shown in Studio as the client that asked; the official CLI sends "DataChain".</summary>
    public string ClientName { get; set; } = "StudioPS";
    public string? TokenName { get; set; }
    public IReadOnlyList<string>? Scopes { get; set; }
    public int? ExpiresInDays { get; set; }
}
