namespace StudioPS.Session;

/// <summary>One Studio setting (such as the default team) with the place it comes from: Get-StudioDefaultTeam's output.</summary>
public sealed class StudioSetting
{
    /// <summary>Creates the record.</summary>
    public StudioSetting(string key, string value, SettingSource source, string? path)
    {
        Key = key;
        Value = value;
        Source = source;
        Path = path;
    }

    /// <summary>The key as datachain names it, e.g. <c>team</c> (studio.team).</summary>
    public string Key { get; }

    /// <summary>The setting's value, e.g. the team name.</summary>
    public string Value { get; }

    /// <summary>Environment or ConfigFile.</summary>
    public SettingSource Source { get; }

    /// <summary>The environment variable or the config file.</summary>
    public string? Path { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
}
