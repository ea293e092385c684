using System.Collections.Generic;
using StudioPS.Models;

namespace StudioPS.Logs;

/// <summary>What one websocket frame said, read by <see cref="LogFrameParser"/>. A frame may carry several parts.</summary>
internal sealed class LogFrame
{
    public static readonly LogFrame Empty = new LogFrame();

    public bool IsPing { get; set; }

    /// <summary>The output records of a <c>logs</c> frame, ordered by id when every record has one; null when absent.</summary>
    public IReadOnlyList<LogRecord>? Records { get; set; }

    /// <summary>The URLs of a <c>log_blobs</c> frame; null when absent.</summary>
    public IReadOnlyList<string>? Blobs { get; set; }

    /// <summary>The job of a <c>job</c> frame; null when absent or unreadable.</summary>
    public StudioJob? Job { get; set; }

    /// <summary>A server note (<c>{"message": ...}</c>), as sent before a 4404 close.</summary>
    public string? Note { get; set; }

    /// <summary>True when the frame carried output, archive or status: the connection delivered data.</summary>
    public bool HasData => Records != null || Blobs != null || Job != null;
}
