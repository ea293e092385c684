using System.Diagnostics;
using StudioPS.Waiting;
using Xunit;

namespace StudioPS.Core.Tests.Waiting;

public class DeadlineTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void Counts_the_time_left_from_the_timestamp_it_was_made_at()
    {
        const long now = 1_000_000;
        var deadline = Deadline.After(TimeSpan.FromSeconds(30), now);
        Assert.Equal(30, deadline.LeftAt(now).TotalSeconds, 6);
        Assert.Equal(20, deadline.LeftAt(now + 10 * Second).TotalSeconds, 6);
        Assert.True(deadline.LeftAt(now + 31 * Second) < TimeSpan.Zero);
    }

    [Fact]
    public void A_span_too_long_to_count_never_ends_and_a_negative_one_has_passed()
    {
        var now = Stopwatch.GetTimestamp();
        Assert.Equal(TimeSpan.MaxValue, Deadline.After(TimeSpan.MaxValue, now).LeftAt(now + 1000 * Second));
        Assert.Equal(TimeSpan.MaxValue, Deadline.After(TimeSpan.FromDays(365 * 1000), long.MaxValue - 10).LeftAt(long.MaxValue - 5));
        Assert.Equal(TimeSpan.Zero, Deadline.After(TimeSpan.FromSeconds(-5), now).LeftAt(now));
    }

    [Fact]
    public void Tells_which_of_two_comes_first()
    {
        const long now = 5_000;
        var sooner = Deadline.After(TimeSpan.FromSeconds(1), now);
        var later = Deadline.After(TimeSpan.FromSeconds(2), now);
        Assert.True(sooner.IsBefore(later));
        Assert.False(later.IsBefore(sooner));
        Assert.False(sooner.IsBefore(sooner));
    }

    [Fact]
    public void A_deadline_made_now_has_its_whole_span_left()
    {
        var deadline = Deadline.After(TimeSpan.FromHours(1));
        Assert.InRange(deadline.Left, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }
}
