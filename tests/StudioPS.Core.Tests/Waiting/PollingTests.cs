using StudioPS.Waiting;
using Xunit;

namespace StudioPS.Core.Tests.Waiting;

public class PollingTests
{
    [Fact]
    public async Task A_deadline_a_few_milliseconds_away_ends_the_wait_instead_of_another_round_at_once()
    {
        // A timer that fired just before the deadline left a sliver of time; another round then asked the
        // server again at once, and again, until the deadline passed.
        var deadline = Deadline.After(TimeSpan.FromMilliseconds(20));
        Assert.False(await Polling.NextRoundAsync(TimeSpan.FromSeconds(2), deadline, CancellationToken.None));
    }

    [Fact]
    public async Task A_deadline_further_away_waits_until_it_and_goes_on()
    {
        var deadline = Deadline.After(TimeSpan.FromSeconds(10));
        Assert.True(await Polling.NextRoundAsync(TimeSpan.FromMilliseconds(1), deadline, CancellationToken.None));
        Assert.True(await Polling.NextRoundAsync(TimeSpan.FromMilliseconds(1), null, CancellationToken.None));
    }
}
