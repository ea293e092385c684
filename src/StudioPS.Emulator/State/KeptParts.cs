namespace StudioPS.Emulator.State;

/// <summary>
/// The parts host's objects. Object storage keeps the bytes an export wrote and sends those bytes to every
/// request; the emulator makes a part's bytes (<see cref="ParquetPart"/> in an <see cref="Lz4FrameWriter"/>) the
/// first time the part is asked for and keeps them, up to a budget of memory. Making them again for every
/// request cost the emulator 1.1-1.5 s of CPU per GiB sent, about what the client being measured on the same
/// machine spends receiving it (docs/PERFORMANCE.md, save-1g); sending kept bytes costs about half that. A part
/// that does not fit in what is left of the budget is made again for each request, as it is sent.
/// </summary>
/// <remarks>
/// The budget counts the parts kept since the last <see cref="Clear"/>: a make still running when the emulator is
/// reset finishes outside it, so for that moment the process can hold more than the budget.
/// </remarks>
public sealed class KeptParts(long budget)
{
    /// <summary>The default budget: room for the bench's 1 GiB export with its framing.</summary>
    public const long DefaultBudget = 1536L * 1024 * 1024;

    readonly object _gate = new();
    Dictionary<(ulong Seed, long Size), Task<byte[]>> _parts = new();
    long _kept;

    /// <summary>The bytes kept or being made now.</summary>
    public long KeptBytes
    {
        get { lock (_gate) return _kept; }
    }

    /// <summary>
    /// The part of <paramref name="length"/> bytes for <paramref name="seed"/> and <paramref name="size"/>: made by
    /// <paramref name="make"/> the first time (on a pool thread; requests meanwhile wait for the same bytes), then
    /// kept. A make that fails fails the requests waiting for it and is forgotten, so the next request makes the
    /// part again. Null when the part is not kept and does not fit in the budget: the caller makes it as it sends it.
    /// </summary>
    public Task<byte[]>? GetOrMake(ulong seed, long size, long length, Func<byte[]> make)
    {
        lock (_gate)
        {
            if (_parts.TryGetValue((seed, size), out var kept)) return kept;
            if (length > Array.MaxLength || length > budget - _kept) return null;
            _kept += length;
            var parts = _parts;
            var made = Task.Run(() =>
            {
                try
                {
                    var bytes = make();
                    // The caller's length is the Content-Length already promised; a make that disagrees must not be sent.
                    if (bytes.LongLength != length) throw new InvalidOperationException($"A part made {bytes.LongLength} bytes, not the {length} its frame length gives.");
                    return bytes;
                }
                catch
                {
                    Forget(parts, (seed, size), length);
                    throw;
                }
            });
            _parts.Add((seed, size), made);
            return made;
        }
    }

    /// <summary>Drops every part (the emulator's reset).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _parts = new();
            _kept = 0;
        }
    }

    void Forget(Dictionary<(ulong, long), Task<byte[]>> parts, (ulong, long) key, long length)
    {
        lock (_gate)
        {
            // After a reset the part is no longer in the current table, and its bytes no longer counted.
            if (ReferenceEquals(parts, _parts) && parts.Remove(key)) _kept -= length;
        }
    }
}
