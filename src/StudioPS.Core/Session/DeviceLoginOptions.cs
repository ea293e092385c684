using System.Collections.Generic;

namespace StudioPS.Session;

/// <summary>What a device sign-in asks Studio for.</summary>
internal sealed class DeviceLoginOptions
{
    /// <summary>Shown in Studio as the client that asked; the official CLI sends "DataChain".</summary>
    public string ClientName { get; set; } = "StudioPS";
    public string? TokenName { get; set; }
    public IReadOnlyList<string>? Scopes { get; set; }

    /// <summary>
    /// Days the new token lives, always sent as <c>expires_in_days</c>: the official CLI's default and
    /// the name of its parameter to dvc-studio-client; the service's documentation confirms neither.
    /// </summary>
    public int ExpiresInDays { get; set; } = DefaultExpiresInDays;

    /// <summary>The lifetime the official CLI asks for when none is given (<c>datachain auth login</c>).</summary>
    public const int DefaultExpiresInDays = 365;
}
