namespace StudioPS.Session;

/// <summary>Where a connection setting's value came from, shown by Get-StudioConnection.</summary>
public enum SettingSource
{
    /// <summary>The built-in default.</summary>
    Default,

    /// <summary>Given by the caller (a parameter or <see cref="StudioConnectionOptions"/>).</summary>
    Parameter,

    /// <summary>An environment variable (<c>DATACHAIN_STUDIO_*</c>).</summary>
    Environment,

    /// <summary>A datachain config file.</summary>
    ConfigFile,

    /// <summary>A token Connect-Studio -UseDeviceCode obtained by the device sign-in.</summary>
    DeviceLogin,
}
