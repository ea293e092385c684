using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace StudioPS.Session;

/// <summary>One config file's <c>[studio]</c> values and where they came from.</summary>
internal sealed class ConfigValue
{
    public ConfigValue(string value, string path, bool fromProject = false)
    {
        Value = value;
        Path = path;
        FromProject = fromProject;
    }

    public string Value { get; }
    public string Path { get; }

    /// <summary>True for the local (project) file, <c>.datachain/config</c>: a repository someone else may have written.</summary>
    public bool FromProject { get; }
}

/// <summary>
/// The datachain config files as the official client finds them: system, then global, then
/// local, a later file winning. A user who ran <c>datachain auth login</c> has a token in the global one.
/// </summary>
internal sealed class DatachainConfig
{
    private readonly Dictionary<string, ConfigValue> _values;

    private DatachainConfig(Dictionary<string, ConfigValue> values)
    {
        _values = values;
    }

    public ConfigValue? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    /// <summary>Where the system, global and local config files are, in merge order.</summary>
    public static IReadOnlyList<string> Locate(Func<string, string?> environment, string currentDirectory)
    {
        return new[]
        {
            Path.Combine(SystemDirectory(environment), "config"),
            Path.Combine(GlobalDirectory(environment), "config"),
            Path.Combine(LocalDirectory(environment, currentDirectory), "config"),
        };
    }

    public static DatachainConfig Load(Func<string, string?> environment, string currentDirectory)
    {
        var files = Locate(environment, currentDirectory);
        return Load(files, projectFile: files[files.Count - 1]);
    }

    /// <summary>Reads the files in merge order; any fault is a StudioInputException naming the file and line.</summary>
    public static DatachainConfig Load(IEnumerable<string> files, string? projectFile = null)
    {
        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var text = ConfigFileText.Read(file);
            if (text == null) continue;
            Dictionary<string, string> pairs;
            try
            {
                pairs = TomlConfigReader.Parse(text);
            }
            catch (TomlSyntaxException e)
            {
                throw ConfigFileText.Fault(file, $"line {e.Line} is not valid TOML: {e.Message}.");
            }
            var fromProject = projectFile != null && string.Equals(file, projectFile, StringComparison.Ordinal);
            foreach (var pair in pairs)
                values[pair.Key] = new ConfigValue(pair.Value, file, fromProject);
        }
        return new DatachainConfig(values);
    }

    private static string? Env(Func<string, string?> environment, string name)
    {
        var value = environment(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private static string Home(Func<string, string?> environment) =>
        Env(environment, "HOME") ?? Env(environment, "USERPROFILE") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    internal static string GlobalDirectory(Func<string, string?> environment)
    {
        var dir = Env(environment, "DATACHAIN_GLOBAL_CONFIG_DIR");
        if (dir != null) return dir;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return Path.Combine(Env(environment, "LOCALAPPDATA") ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "iterative", "datachain");
        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            return Path.Combine(Home(environment), "Library", "Application Support", "datachain");
        return Path.Combine(Env(environment, "XDG_CONFIG_HOME") ?? Path.Combine(Home(environment), ".config"), "datachain");
    }

    internal static string SystemDirectory(Func<string, string?> environment)
    {
        var dir = Env(environment, "DATACHAIN_SYSTEM_CONFIG_DIR");
        if (dir != null) return dir;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return Path.Combine(Env(environment, "PROGRAMDATA") ?? Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "iterative", "datachain");
        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            return Path.Combine("/Library", "Application Support", "datachain");
        var xdg = Env(environment, "XDG_CONFIG_DIRS");
        var first = xdg?.Split(':')[0];
        return Path.Combine(string.IsNullOrWhiteSpace(first) ? "/etc/xdg" : first!, "datachain");
    }

    internal static string LocalDirectory(Func<string, string?> environment, string currentDirectory)
    {
        var dir = Env(environment, "DATACHAIN_DIR");
        if (dir != null) return dir;
        var root = Env(environment, "DATACHAIN_ROOT_DIR") ?? currentDirectory;
        return Path.Combine(root, ".datachain");
    }
}
