using System;
using System.Threading;

namespace StudioPS.Logs;

/// <summary>
/// What the connection tells the log websocket about limits and routing: whether to use the
/// system proxy (never for a loopback Studio, so no proxy sees a token meant for this machine),
/// the largest message it accepts, and how long it may stay silent before it counts as dropped.
/// </summary>
internal sealed class LogSocketSettings
{
    /// <summary>The largest websocket message read; a larger one ends the follow with a clear error.</summary>
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>False for a loopback Studio: the socket connects directly.</summary>
    public bool UseProxy { get; set; } = true;

    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>Silence longer than this drops the socket (the follower reconnects); infinite for none.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public static LogSocketSettings Default { get; } = new LogSocketSettings();
}
