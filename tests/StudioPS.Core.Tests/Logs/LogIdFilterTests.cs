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
}
