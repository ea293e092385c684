namespace StudioPS.Logs;

/// <summary>What a <see cref="LogEvent"/> carries.</summary>
internal enum LogEventKind
{
    /// <summary>One line of the job's output, without its line break.</summary>
    Line,

    /// <summary>A change of the job's status.</summary>
    Status,

    /// <summary>A raw chunk of output exactly as the server sent it (only with <see cref="LogFollowOptions.Raw"/>).</summary>
    Chunk,

    /// <summary>Something went wrong that the follow survives (an archived log that could not be read).</summary>
    Warning,
}
