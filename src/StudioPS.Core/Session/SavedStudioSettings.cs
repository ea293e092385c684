namespace StudioPS.Session;

/// <summary>What a datachain config file at one level holds for Studio.</summary>
internal sealed class SavedStudioSettings
{
    public SavedStudioSettings(string path, string? url, string? token, string? team)
    {
        Path = path;
        Url = url;
        Token = token;
        Team = team;
    }

    public string Path { get; }
    public string? Url { get; }
    public string? Token { get; }
    public string? Team { get; }
}
