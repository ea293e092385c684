using StudioPS.Session;

namespace StudioPS.Core.Tests.Support;

/// <summary>
/// The datachain config levels in a fresh temporary folder: system/, global/ and project/ (its
/// .datachain/config) named by their DATACHAIN_* variables in an environment of the test's own, and
/// the settings a connection resolves from them. Deleted again on Dispose.
/// </summary>
internal sealed class ConfigFolders : IDisposable
{
    public ConfigFolders()
    {
        Variables["DATACHAIN_SYSTEM_CONFIG_DIR"] = System.IO.Path.Combine(Temp.Path, "system");
        Variables["DATACHAIN_GLOBAL_CONFIG_DIR"] = System.IO.Path.Combine(Temp.Path, "global");
        Variables["DATACHAIN_ROOT_DIR"] = System.IO.Path.Combine(Temp.Path, "project");
    }

    public TempFolder Temp { get; } = new();

    /// <summary>The test's environment variables; a test sets DATACHAIN_STUDIO_* here.</summary>
    public Dictionary<string, string?> Variables { get; } = new();

    /// <summary>Reads <see cref="Variables"/> as the process environment would be read.</summary>
    public string? Environment(string name) => Variables.TryGetValue(name, out var v) ? v : null;

    /// <summary>The settings a connection gets from <paramref name="request"/>, this environment and these config files.</summary>
    public ResolvedSettings Resolve(StudioConnectionOptions? request = null) =>
        ConnectionSettings.Resolve(request ?? new StudioConnectionOptions(), Environment, DatachainConfig.Load(Environment, Temp.Path));

    public void Dispose() => Temp.Dispose();
}
