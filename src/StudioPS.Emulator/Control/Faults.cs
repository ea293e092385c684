using System.Text.Json;

namespace StudioPS.Emulator.Control;

/// <summary>One injected fault, as posted to /_emulator/faults.</summary>
public sealed class Fault
{
    public required string Id { get; init; }
    public string Method { get; init; } = "*";
    public required string Path { get; init; }
    public int? Status { get; init; }
    public string? RetryAfter { get; init; }
    public int DelayMs { get; init; }
    public bool Abort { get; init; }
    public string? Body { get; init; }
    public string? ContentType { get; init; }
    public bool Truncate { get; init; }

    /// <summary>A Location header on the fault's response (a redirect, with a 3xx status).</summary>
    public string? Location { get; init; }
    /// <summary>The body is sent one byte at a time with this pause between bytes: a body that trickles.</summary>
    public int TrickleMs { get; init; }
    /// <summary>The body is sent this many times over, streamed: a huge body without a huge request.</summary>
    public int BodyRepeat { get; init; } = 1;

    /// <summary>Reset the connection once this many request-body bytes have been read: an upload cut off mid-body.</summary>
    public long? AbortAfterBytes { get; init; }
    public int? Count { get; init; }
    public double? Fraction { get; init; }
    public int? Seed { get; init; }
    /// <summary>True: the API handler runs first and its response is then replaced.</summary>
    public bool After { get; init; }

    readonly object _gate = new();
    Random? _random;
    int _hits;
    int _seen;

    public int Hits => Volatile.Read(ref _hits);
    public int Seen => Volatile.Read(ref _seen);

    bool PathMatches(string path)
    {
        if (Path.EndsWith('*'))
            return path.StartsWith(Path.AsSpan(0, Path.Length - 1), StringComparison.OrdinalIgnoreCase);
        // Exact match, but "/x/" and "/x" are the same route to the API, so they are the same to a fault.
        return path.AsSpan().TrimEnd('/').Equals(Path.AsSpan().TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Decides whether this fault fires for the request, consuming one of its count if so.</summary>
    public bool TryFire(string method, string path)
    {
        if (Method != "*" && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) return false;
        if (!PathMatches(path)) return false;
        lock (_gate)
        {
            if (Count is { } count && _hits >= count) return false;
            _seen++;
            if (Fraction is { } f)
            {
                _random ??= Seed is { } s ? new Random(s) : new Random();
                if (_random.NextDouble() >= f) return false;
            }
            _hits++;
            return true;
        }
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("method", Method);
        w.WriteString("path", Path);
        if (Status is { } st) w.WriteNumber("status", st); else w.WriteNull("status");
        w.WriteString("retry_after", RetryAfter);
        w.WriteNumber("delay_ms", DelayMs);
        w.WriteBoolean("abort", Abort);
        w.WriteString("body", Body);
        w.WriteString("content_type", ContentType);
        w.WriteBoolean("truncate", Truncate);
        w.WriteString("location", Location);
        w.WriteNumber("trickle_ms", TrickleMs);
        w.WriteNumber("body_repeat", BodyRepeat);
        if (AbortAfterBytes is { } cut) w.WriteNumber("abort_after_bytes", cut); else w.WriteNull("abort_after_bytes");
        if (Count is { } c) w.WriteNumber("count", c); else w.WriteNull("count");
        if (Fraction is { } fr) w.WriteNumber("fraction", fr); else w.WriteNull("fraction");
        if (Seed is { } sd) w.WriteNumber("seed", sd); else w.WriteNull("seed");
        w.WriteString("when", After ? "after" : "before");
        w.WriteNumber("hits", Hits);
        w.WriteNumber("seen", Seen);
        if (Count is { } cc) w.WriteNumber("remaining", Math.Max(0, cc - Hits)); else w.WriteNull("remaining");
        w.WriteEndObject();
    }

    /// <summary>Builds a fault from the control API's JSON body; returns an error message naming the field instead.</summary>
    public static Fault? Parse(JsonElement body, string id, out string? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object) { error = "body must be a JSON object"; return null; }
        try
        {
            string path = Req.OptString(body, "path") ?? throw new Req.BadRequest("path is required");
            if (!path.StartsWith('/')) throw new Req.BadRequest("path must start with /");
            string method = (Req.OptString(body, "method") ?? "*").ToUpperInvariant();
            int? status = Req.OptInt(body, "status");
            if (status is < 100 or > 599) throw new Req.BadRequest("status must be between 100 and 599");
            string when = (Req.OptString(body, "when") ?? "before").ToLowerInvariant();
            if (when is not ("before" or "after")) throw new Req.BadRequest("when must be \"before\" or \"after\"");
            double? fraction = Req.OptDouble(body, "fraction");
            if (fraction is < 0 or > 1) throw new Req.BadRequest("fraction must be between 0 and 1");
            int? count = Req.OptInt(body, "count");
            if (count is < 0) throw new Req.BadRequest("count must not be negative");
            int delay = Req.OptInt(body, "delay_ms") ?? 0;
            if (delay < 0) throw new Req.BadRequest("delay_ms must not be negative");
            long? abortAfterBytes = body.TryGetProperty("abort_after_bytes", out var cutOff) && cutOff.ValueKind == JsonValueKind.Number
                ? cutOff.GetInt64() : null;
            if (abortAfterBytes is < 0) throw new Req.BadRequest("abort_after_bytes must not be negative");
            int trickle = Req.OptInt(body, "trickle_ms") ?? 0;
            if (trickle < 0) throw new Req.BadRequest("trickle_ms must not be negative");
            int repeat = Req.OptInt(body, "body_repeat") ?? 1;
            if (repeat < 1) throw new Req.BadRequest("body_repeat must be at least 1");
            string? location = Req.OptString(body, "location");
            string? retryAfter = body.TryGetProperty("retry_after", out var ra) && ra.ValueKind == JsonValueKind.Number
                ? ra.GetRawText() : Req.OptString(body, "retry_after");
            return new Fault
            {
                Id = id,
                Method = method,
                Path = path,
                Status = status,
                RetryAfter = retryAfter,
                DelayMs = delay,
                Abort = Req.OptBool(body, "abort") ?? false,
                Body = Req.OptString(body, "body"),
                ContentType = Req.OptString(body, "content_type"),
                Truncate = Req.OptBool(body, "truncate") ?? false,
                AbortAfterBytes = abortAfterBytes,
                Count = count,
                Fraction = fraction,
                Seed = Req.OptInt(body, "seed"),
                After = when == "after",
                Location = location,
                TrickleMs = trickle,
                BodyRepeat = repeat,
            };
        }
        catch (Req.BadRequest e)
        {
            error = e.Message;
            return null;
        }
    }
}

/// <summary>The set of active faults. Read on every /api request, so readers take no lock.</summary>
public sealed class FaultRegistry
{
    readonly object _gate = new();
    Fault[] _faults = [];
    int _nextId;

    public Fault[] All => Volatile.Read(ref _faults);

    public string NewId() => "f" + Interlocked.Increment(ref _nextId);

    public void Add(Fault f)
    {
        lock (_gate) Volatile.Write(ref _faults, [.. _faults, f]);
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            var next = _faults.Where(f => f.Id != id).ToArray();
            if (next.Length == _faults.Length) return false;
            Volatile.Write(ref _faults, next);
            return true;
        }
    }

    public void Clear()
    {
        lock (_gate) Volatile.Write(ref _faults, []);
    }

    /// <summary>The first fault (in the order they were added) that fires for this request.</summary>
    public Fault? Match(string method, string path)
    {
        var faults = All;
        if (faults.Length == 0) return null;
        foreach (var f in faults)
            if (f.TryFire(method, path)) return f;
        return null;
    }
}

/// <summary>Websocket drops: abort sockets on a timer or after a number of frames, with no close frame.</summary>
public sealed class WsFaults
{
    volatile WsFaultSettings? _current;

    public WsFaultSettings? Current { get => _current; set => _current = value; }
}

/// <summary>Websocket faults: drops, and a hostile first frame (given text, or padding of a given size) on every connection.</summary>
public sealed record WsFaultSettings(int? DropEveryMs, int? DropAfterFrames, string? FirstFrame = null, int? FirstFrameBytes = null)
{
    /// <summary>The frame sent before the replay, or null.</summary>
    public byte[]? FirstFrameData() =>
        FirstFrame is not null ? System.Text.Encoding.UTF8.GetBytes(FirstFrame)
        : FirstFrameBytes is { } n ? System.Text.Encoding.UTF8.GetBytes("{\"logs\":[],\"pad\":\"" + new string('x', Math.Max(0, n - 20)) + "\"}")
        : null;
}
