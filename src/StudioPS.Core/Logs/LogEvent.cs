using StudioPS.Models;

namespace StudioPS.Logs;

/// <summary>
/// A log line (or raw chunk), a change of the job's status, or a warning, as the follower sees it.
/// A struct: a follow hands on millions of them, in batches, and each would otherwise be an object.
/// </summary>
internal struct LogEvent
{
    /// <summary>What this event carries.</summary>
    public LogEventKind Kind { get; set; }

    /// <summary>The line, the raw chunk or the warning's text.</summary>
    public string? Message { get; set; }

    /// <summary>The job, for a status event.</summary>
    public StudioJob? Job { get; set; }
}
