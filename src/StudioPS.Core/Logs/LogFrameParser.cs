using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using StudioPS.Models;

namespace StudioPS.Logs;

/// <summary>
/// Reads one websocket frame of the log stream: <c>{"type":"ping"}</c>, <c>{"logs":[{id, message}]}</c>,
/// <c>{"log_blobs":[url]}</c>, <c>{"job":{...}}</c> or <c>{"message":...}</c>. Pure: text in, a
/// <see cref="LogFrame"/> out; a frame that is not a JSON object reads as empty.
/// </summary>
/// <remarks>
/// Every reconnect replays the whole history, so most records of a long follow are repeats: a record
/// whose id the caller has <c>seen</c> is left out before its message becomes a string.
/// </remarks>
internal static class LogFrameParser
{
    private static readonly JsonDocumentOptions Options = new JsonDocumentOptions { MaxDepth = 64 };

    public static LogFrame Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    /// <summary>Reads a frame from its UTF-8 bytes (read while parsing, not kept); records with an id <paramref name="seen"/> says is known are left out.</summary>
    public static LogFrame Parse(ReadOnlyMemory<byte> utf8, Func<long, bool>? seen = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException)
        {
            return LogFrame.Empty;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return LogFrame.Empty;
            var frame = new LogFrame();
            if (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && JsonText.SafeString(type) == "ping")
                frame.IsPing = true;
            if (root.TryGetProperty("logs", out var logs) && logs.ValueKind == JsonValueKind.Array)
                frame.Records = Records(logs, seen);
            if (root.TryGetProperty("log_blobs", out var blobs) && blobs.ValueKind == JsonValueKind.Array)
                frame.Blobs = blobs.EnumerateArray().Where(b => b.ValueKind == JsonValueKind.String).Select(JsonText.SafeString).ToList();
            if (root.TryGetProperty("job", out var job) && job.ValueKind == JsonValueKind.Object)
            {
                try
                {
                    frame.Job = job.Deserialize<StudioJob>(StudioJson.Options);
                }
                catch (JsonException)
                {
                    frame.Job = null;
                }
            }
            if (frame.Records == null && root.TryGetProperty("message", out var note) && note.ValueKind == JsonValueKind.String)
                frame.Note = JsonText.SafeString(note);
            return frame;
        }
    }

    private static IReadOnlyList<LogRecord> Records(JsonElement logs, Func<long, bool>? seen)
    {
        var records = new List<LogRecord>(logs.GetArrayLength());
        var ordered = true;
        long? previous = null;
        foreach (var item in logs.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                records.Add(new LogRecord(null, JsonText.SafeString(item)));
                continue;
            }
            if (item.ValueKind != JsonValueKind.Object) continue;
            long? id = null;
            if (item.TryGetProperty("id", out var idElement))
            {
                if (idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out var n)) id = n;
                else if (idElement.ValueKind == JsonValueKind.String && long.TryParse(JsonText.SafeString(idElement), out var s)) id = s;
            }
            if (id.HasValue && seen != null && seen(id.Value)) continue;
            if (id.HasValue)
            {
                if (previous.HasValue && id.Value < previous.Value) ordered = false;
                previous = id;
            }
            var message = item.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? JsonText.SafeString(m) : string.Empty;
            records.Add(new LogRecord(id, message));
        }
        // Within one frame, ids give the order; records without ids keep theirs.
        return !ordered && records.All(r => r.Id.HasValue) ? records.OrderBy(r => r.Id).ToList() : records;
    }
}
