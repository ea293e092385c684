using System;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Waiting;

/// <summary>The pause between poll rounds, shared by every wait: the interval, cut short by a deadline.</summary>
internal static class Polling
{
    /// <summary>
    /// Less time than this left before the deadline counts as none: a timer may fire a few milliseconds
    /// before the deadline it was set for, and the rounds that followed each asked the server again at once
    /// (a burst of requests in the last milliseconds of a wait).
    /// </summary>
    internal static readonly TimeSpan DeadlineSlack = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits for the next round; false when the deadline has passed and the wait should end.</summary>
    public static async Task<bool> NextRoundAsync(TimeSpan interval, Deadline? deadline, CancellationToken cancellationToken)
    {
        var wait = interval;
        if (deadline.HasValue)
        {
            var left = deadline.Value.Left;
            if (left <= DeadlineSlack) return false;
            if (left < wait) wait = left;
        }
        await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>When a wait of <paramref name="timeout"/> ends, on the monotonic clock; null for no time-out.</summary>
    public static Deadline? DeadlineAfter(TimeSpan? timeout) => timeout.HasValue ? Deadline.After(timeout.Value) : (Deadline?)null;
}
