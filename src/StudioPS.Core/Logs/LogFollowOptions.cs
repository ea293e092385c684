using System;

namespace StudioPS.Logs;

/// <summary>How a <see cref="LogFollower"/> follows; the defaults are the official client's.</summary>
internal sealed class LogFollowOptions
{
    /// <summary>Reconnect attempts in a row without data before giving up (the official client's 15).</summary>
    public int MaxAttempts { get; set; } = 15;

    /// <summary>The first reconnect's wait; it doubles per attempt.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnects (before jitter).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the REST fallback polls, where the websocket is not served.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A socket that delivers nothing (pings included) for this long counts as dropped.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Emit the server's raw output chunks untouched instead of assembled lines.</summary>
    public bool Raw { get; set; }

    /// <summary>An archived log larger than this is cut off with a warning.</summary>
    public long MaxArchivedLogBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long reading one archived log may take in all.</summary>
    public TimeSpan ArchivedLogTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The jitter source of reconnect waits (tests fix it).</summary>
    public Func<double>? Random { get; set; }
}
