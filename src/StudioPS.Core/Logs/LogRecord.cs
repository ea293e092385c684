namespace StudioPS.Logs;

/// <summary>One entry of a <c>logs</c> frame: a raw chunk of output and its id (null from servers that send none).</summary>
internal readonly struct LogRecord
{
    public LogRecord(long? id, string message)
    {
        Id = id;
        Message = message;
    }

    public long? Id { get; }
    public string Message { get; }
}
