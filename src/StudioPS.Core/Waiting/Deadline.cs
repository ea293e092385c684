using System;
using System.Diagnostics;

namespace StudioPS.Waiting;

/// <summary>
/// A moment on the monotonic clock (<see cref="Stopwatch"/>): a -Timeout or a sign-in code's lifetime is a length of
/// time, and a step of the system clock (time sync on a VM that just started or resumed, a person changing it) must
/// neither end a wait at once nor stretch it by the size of the step.
/// </summary>
internal readonly struct Deadline
{
    private readonly long _at;

    private Deadline(long at)
    {
        _at = at;
    }

    /// <summary>The moment <paramref name="span"/> from now.</summary>
    public static Deadline After(TimeSpan span) => After(span, Stopwatch.GetTimestamp());

    /// <summary>The moment <paramref name="span"/> after the <see cref="Stopwatch"/> timestamp <paramref name="now"/>; a span too long to count ends never.</summary>
    internal static Deadline After(TimeSpan span, long now)
    {
        var ticks = span.TotalSeconds * Stopwatch.Frequency;
        if (ticks <= 0) return new Deadline(now);
        return ticks >= long.MaxValue - (double)now ? new Deadline(long.MaxValue) : new Deadline(now + (long)ticks);
    }

    /// <summary>The time left; zero or less once the moment has passed.</summary>
    public TimeSpan Left => LeftAt(Stopwatch.GetTimestamp());

    internal TimeSpan LeftAt(long now) =>
        _at == long.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromSeconds((_at - (double)now) / Stopwatch.Frequency);

    /// <summary>Whether this moment comes before <paramref name="other"/>.</summary>
    public bool IsBefore(Deadline other) => _at < other._at;
}
