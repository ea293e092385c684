using System;

namespace StudioPS.Logs;

/// <summary>
/// Deduplicates log records by id in bounded memory. Ids rise, so the highest id seen decides most
/// cases (as in the official client); the last <see cref="Window"/> ids are also kept so a record that
/// arrives out of order, below the highest but not seen yet, still gets through. An id older than all
/// that are remembered counts as seen: every connection replays the history from the start.
/// </summary>
/// <remarks>
/// The remembered ids are kept in ascending order in a ring of <see cref="Window"/> slots: a rising id
/// is added at the end and the oldest leaves from the front, with no allocation; a lookup is a binary
/// search. Only an id that arrives out of order moves others (within the window).
/// </remarks>
internal sealed class LogIdFilter
{
    private readonly long[] _ring;
    private int _head;
    private int _count;

    public LogIdFilter(int window = 4096)
    {
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "The window holds at least one id.");
        Window = window;
        _ring = new long[window];
    }

    public int Window { get; }

    /// <summary>How many ids are held (never more than <see cref="Window"/>).</summary>
    public int Remembered => _count;

    /// <summary>True when <see cref="IsNew"/> would call the id a repeat; changes nothing.</summary>
    public bool Seen(long id) =>
        _count > 0 && id <= Highest && (IndexOf(id) >= 0 || (_count >= Window && id < Lowest));

    /// <summary>True the first time an id is offered; false for a repeat.</summary>
    public bool IsNew(long id)
    {
        if (_count == 0 || id > Highest)
        {
            if (_count == Window) DropLowest();
            _ring[Slot(_count)] = id;
            _count++;
            return true;
        }
        var at = IndexOf(id);
        if (at >= 0) return false;
        if (_count >= Window && id < Lowest) return false;
        var index = ~at;
        if (_count == Window)
        {
            // id is above the lowest here (index >= 1), so the lowest leaves and id goes one place lower.
            DropLowest();
            index--;
        }
        Insert(index, id);
        return true;
    }

    // The highest id ever offered is always remembered: only the lowest leaves.
    private long Highest => _ring[Slot(_count - 1)];

    private long Lowest => _ring[_head];

    private int Slot(int index)
    {
        var slot = _head + index;
        return slot >= _ring.Length ? slot - _ring.Length : slot;
    }

    private void DropLowest()
    {
        _head = Slot(1);
        _count--;
    }

    /// <summary>The id's index in ascending order, or the bitwise complement of where it would go.</summary>
    private int IndexOf(long id)
    {
        int low = 0, high = _count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var value = _ring[Slot(middle)];
            if (value == id) return middle;
            if (value < id) low = middle + 1;
            else high = middle - 1;
        }
        return ~low;
    }

    private void Insert(int index, long id)
    {
        for (var i = _count; i > index; i--) _ring[Slot(i)] = _ring[Slot(i - 1)];
        _ring[Slot(index)] = id;
        _count++;
    }
}
