using System;
using System.Net.Http;

namespace StudioPS.Session;

/// <summary>
/// How to open a <see cref="StudioConnection"/>. Every setting left null is taken, as the
/// official DataChain client takes it, from the environment (<c>DATACHAIN_STUDIO_TOKEN</c>,
/// <c>DATACHAIN_STUDIO_TEAM</c>, <c>DATACHAIN_STUDIO_URL</c>), then from the datachain config
/// files (<c>studio.token</c>, <c>studio.team</c>, <c>studio.url</c>), then from the default
/// (<c>https://studio.datachain.ai</c>).
/// </summary>
public sealed class StudioConnectionOptions
{
    /// <summary>The default of <see cref="TimeoutSec"/>: seconds one request may take.</summary>
    public const int DefaultTimeoutSec = 100;

    /// <summary>The default of <see cref="MaxRetries"/>.</summary>
    public const int DefaultMaxRetries = 3;

    /// <summary>The Studio token (it starts with <c>isat_</c>); null to read it from the environment or config.</summary>
    public string? Token { get; set; }

    /// <summary>The default team of calls that need one; null to read it from the environment or config.</summary>
    public string? Team { get; set; }

    /// <summary>The Studio address, e.g. <c>https://studio.datachain.ai</c>; null to read it from the environment or config.</summary>
    public string? BaseUri { get; set; }

    /// <summary>The Authorization scheme: <c>Bearer</c> (the default) or Studio's own <c>token</c>.</summary>
    public string AuthScheme { get; set; } = "Bearer";

    /// <summary>Seconds each request (each attempt) may take; 0 means no limit.</summary>
    public int TimeoutSec { get; set; } = DefaultTimeoutSec;

    /// <summary>How many times a request that failed in a way that is safe to repeat is sent again.</summary>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>The User-Agent header; null for <c>StudioPS.Core/&lt;version&gt;</c>.</summary>
    public string? UserAgent { get; set; }

    /// <summary>Allows http:// to a host other than this machine, which sends the token unencrypted.</summary>
    public bool AllowUnencryptedAuthentication { get; set; }

    /// <summary>Reads an environment variable; null for the process environment.</summary>
    public Func<string, string?>? Environment { get; set; }

    /// <summary>Where a project's <c>.datachain/config</c> is looked for; null for the process's current directory.</summary>
    public string? CurrentDirectory { get; set; }

    /// <summary>Where a <see cref="Token"/> given here came from: a parameter, or a device sign-in.</summary>
    internal SettingSource TokenSource { get; set; } = SettingSource.Parameter;

    /// <summary>Replaces the network in tests; null means the real one.</summary>
    internal HttpMessageHandler? PrimaryHandler { get; set; }

    internal Func<string, string?> EnvironmentOrDefault => Environment ?? System.Environment.GetEnvironmentVariable;

    internal string CurrentDirectoryOrDefault => CurrentDirectory ?? System.Environment.CurrentDirectory;
}
