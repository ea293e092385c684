using System;

namespace StudioPS.Session;

/// <summary>The settings a connection is made from, each with its source.</summary>
internal sealed class ResolvedSettings
{
    public string? Token { get; internal set; }
    public SettingSource TokenSource { get; internal set; }
    public string? TokenSourcePath { get; internal set; }
    public string? Team { get; internal set; }
    public SettingSource TeamSource { get; internal set; }
    public string? TeamSourcePath { get; internal set; }
    public Uri BaseUri { get; internal set; } = ConnectionSettings.DefaultBaseUri;
    public SettingSource BaseUriSource { get; internal set; }
    public string? BaseUriSourcePath { get; internal set; }
}
