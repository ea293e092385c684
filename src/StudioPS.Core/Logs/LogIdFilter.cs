using System.Collections.Generic;

namespace StudioPS.Logs;

/// <summary>
/// Deduplicates log records by id in bounded memory. Ids rise, so the highest id seen decides most
/// cases (as in the official client); the last <see cref="Window"/> ids are also kept so a record that
/// arrives out of order, below the highest but not seen yet, still gets through. An id older than all
/// that are remembered counts as seen: every connection replays the history from the start.
/// </summary>
internal sealed class LogIdFilter
{
    private readonly SortedSet<long> _recent = new SortedSet<long>();
    private long? _highest;

    public LogIdFilter(int window = 4096)
    {
        Window = window;
    }

    public int Window { get; }

    /// <summary>How many ids are held (never more than <see cref="Window"/>).</summary>
    public int Remembered => _recent.Count;

    /// <summary>True when <see cref="IsNew"/> would call the id a repeat; changes nothing.</summary>
    public bool Seen(long id) =>
        _highest != null && id <= _highest.Value && (_recent.Contains(id) || (_recent.Count >= Window && id < _recent.Min));

    /// <summary>True the first time an id is offered; false for a repeat.</summary>
    public bool IsNew(long id)
    {
        if (_highest == null || id > _highest.Value)
        {
            _highest = id;
            Remember(id);
            return true;
        }
        if (_recent.Contains(id)) return false;
        if (_recent.Count >= Window && id < _recent.Min) return false;
        Remember(id);
        return true;
    }

    private void Remember(long id)
    {
        _recent.Add(id);
        if (_recent.Count > Window) _recent.Remove(_recent.Min);
    }
}
