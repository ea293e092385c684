using StudioPS.Commands;
using Xunit;

namespace StudioPS.Tests.Commands;

public class PipelineBridgeTests
{
    [Fact]
    public void A_batch_waits_while_one_is_queued_so_a_fast_log_never_piles_up_in_memory()
    {
        using var bridge = new PipelineBridge(CancellationToken.None);
        var written = new List<int>();
        var first = bridge.PostBatchAsync(() => written.Add(1), CancellationToken.None);
        Assert.True(first.IsCompleted);
        var second = bridge.PostBatchAsync(() => written.Add(2), CancellationToken.None);
        Assert.False(second.IsCompleted);
        Assert.Empty(written);

        // The pipeline thread writes the first batch; that frees the slot the second was waiting for.
        bridge.PumpUntil(second);
        Assert.Equal(new[] { 1, 2 }, written);
    }

    [Fact]
    public async Task A_batch_waiting_for_its_slot_gives_up_at_once_when_stopped()
    {
        using var bridge = new PipelineBridge(CancellationToken.None);
        await bridge.PostBatchAsync(() => { }, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var waiting = bridge.PostBatchAsync(() => { }, stop.Token);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
