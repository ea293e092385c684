using System.Text.Json;

namespace StudioPS.Emulator.Control;

/// <summary>One /api request as tests see it. Deliberately holds no token and no header values.</summary>
public sealed record RequestRecord(
    long Seq, string Method, string Path, string Query, int Status, string? AuthScheme, string? Team,
    long? ContentLength, DateTime Time, string? Fault);

/// <summary>Every /api request since start or the last clear, so tests can assert on what a client sent.</summary>
public sealed class RequestLog
{
    // A long benchmark must not grow the emulator without bound; the oldest entries go first.
    public const int Capacity = 200_000;

    readonly object _gate = new();
    readonly Queue<RequestRecord> _records = new();
    long _seq;

    public long NextSeq() => Interlocked.Increment(ref _seq);

    public void Add(RequestRecord r)
    {
        lock (_gate)
        {
            if (_records.Count >= Capacity) _records.Dequeue();
            _records.Enqueue(r);
        }
    }

    public void Clear()
    {
        lock (_gate) _records.Clear();
    }

    public RequestRecord[] Snapshot()
    {
        RequestRecord[] items;
        lock (_gate) items = _records.ToArray();
        // Requests finish out of order; tests read them in arrival order.
        Array.Sort(items, (a, b) => a.Seq.CompareTo(b.Seq));
        return items;
    }

    public static void Write(Utf8JsonWriter w, RequestRecord r)
    {
        w.WriteStartObject();
        w.WriteNumber("seq", r.Seq);
        w.WriteString("method", r.Method);
        w.WriteString("path", r.Path);
        w.WriteString("query", r.Query);
        w.WriteNumber("status", r.Status);
        w.WriteString("auth_scheme", r.AuthScheme);
        w.WriteString("team", r.Team);
        if (r.ContentLength is { } len) w.WriteNumber("content_length", len); else w.WriteNull("content_length");
        w.WriteString("time", Json.Time(r.Time));
        w.WriteString("fault", r.Fault);
        w.WriteEndObject();
    }
}
