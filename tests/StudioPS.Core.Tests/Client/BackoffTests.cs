using StudioPS.Client;
using StudioPS.Http;
using Xunit;

namespace StudioPS.Core.Tests.Client;

public class BackoffTests
{
    [Fact]
    public void Additive_jitter_doubles_from_the_base_is_capped_and_adds_up_to_one_base()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), BackoffJitter.Additive, () => 0.5);
        Assert.Equal(new[] { 1.5, 2.5, 4.5, 8.5, 60.5 }, new[] { 0, 1, 2, 3, 14 }.Select(a => backoff.Delay(a).TotalSeconds));
    }

    [Fact]
    public void Full_jitter_spreads_between_zero_and_the_ceiling()
    {
        var top = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3), BackoffJitter.Full, () => 1.0);
        var bottom = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3), BackoffJitter.Full, () => 0.0);
        Assert.Equal(2000, top.Delay(2).TotalMilliseconds, 3);
        Assert.Equal(3000, top.Delay(40).TotalMilliseconds, 3);
        Assert.Equal(TimeSpan.Zero, bottom.Delay(5));
    }
}
