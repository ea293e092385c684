using StudioPS.Logs;
using Xunit;

namespace StudioPS.Core.Tests.Logs;

public class LogIdFilterTests
{
    [Fact]
    public void A_replayed_history_is_skipped_and_new_ids_pass()
    {
        var filter = new LogIdFilter(window: 8);
        Assert.All(new long[] { 1, 2, 3 }, id => Assert.True(filter.IsNew(id)));
        Assert.All(new long[] { 1, 2, 3 }, id => Assert.False(filter.IsNew(id)));
        Assert.True(filter.IsNew(4));
    }

    [Fact]
    public void A_record_that_arrives_out_of_order_still_passes_once()
    {
        var filter = new LogIdFilter(window: 8);
        Assert.True(filter.IsNew(10));
        Assert.True(filter.IsNew(12));
        Assert.True(filter.IsNew(11));
        Assert.False(filter.IsNew(11));
    }

    [Fact]
    public void Memory_stays_bounded_however_long_the_log_and_old_ids_count_as_seen()
    {
        var filter = new LogIdFilter(window: 16);
        for (long id = 1; id <= 1_000_000; id++) Assert.True(filter.IsNew(id));
        Assert.Equal(16, filter.Remembered);
        for (long id = 1; id <= 1_000_000; id += 997) Assert.False(filter.IsNew(id));
        Assert.Equal(16, filter.Remembered);
    }

    [Fact]
    public void Seen_answers_as_IsNew_would_and_changes_nothing()
    {
        // Replays, out-of-order ids and ids older than the window, as a long follow with reconnects sees them.
        var random = new Random(7);
        var filter = new LogIdFilter(window: 32);
        var offered = 0;
        for (var round = 0; round < 20; round++)
        {
            var highest = 40 * (round + 1);
            for (var i = 0; i < 60; i++)
            {
                long id = random.Next(1, highest + 1);
                var seen = filter.Seen(id);
                Assert.Equal(seen, filter.Seen(id));
                Assert.Equal(!seen, filter.IsNew(id));
                offered++;
            }
        }
        Assert.Equal(1200, offered);
        Assert.False(new LogIdFilter().Seen(1));
    }

    [Fact]
    public void It_decides_as_the_rule_does_for_rising_replayed_and_out_of_order_ids()
    {
        // The rule, spelled out: remember every id offered as new, keep only the highest Window of them,
        // and call an id seen when it is remembered or below all remembered ids with the window full.
        var random = new Random(3);
        foreach (var window in new[] { 1, 2, 5, 64 })
        {
            var filter = new LogIdFilter(window);
            var model = new SortedSet<long>();
            long highest = 0;
            for (var i = 0; i < 20_000; i++)
            {
                long id = random.Next(4) switch
                {
                    0 => ++highest,                                             // the next line
                    1 => Math.Max(1, highest - random.Next(0, window * 2 + 2)), // a replay or a late record
                    2 => highest + random.Next(1, 4),                           // a gap (a late record follows)
                    _ => random.Next(1, (int)highest + 2),                      // anywhere
                };
                highest = Math.Max(highest, id);
                var seen = model.Count > 0 && id <= model.Max && (model.Contains(id) || (model.Count >= window && id < model.Min));
                Assert.Equal(seen, filter.Seen(id));
                Assert.Equal(!seen, filter.IsNew(id));
                if (!seen)
                {
                    model.Add(id);
                    if (model.Count > window) model.Remove(model.Min);
                }
                Assert.Equal(model.Count, filter.Remembered);
            }
        }
    }
}
