using StudioPS.Commands;
using Xunit;

namespace StudioPS.Tests.Commands;

public class PushedStreamTests
{
    [Fact]
    public async Task Items_come_in_order_on_the_asking_thread_one_at_a_time_and_the_result_follows()
    {
        var threads = new List<int>();
        Task? lastPush = null;
        var stream = new PushedStream<int, string>(async (emit, token) =>
        {
            for (var i = 1; i <= 3; i++)
            {
                threads.Add(Environment.CurrentManagedThreadId);
                lastPush = emit(i);
                // Not resumed until the consumer asks for the next item: one item in flight at most.
                Assert.False(lastPush.IsCompleted);
                await lastPush.ConfigureAwait(false);
            }
            return "done";
        });
        var seen = new List<int>();
        var consumer = Environment.CurrentManagedThreadId;
        await using (var items = stream.GetAsyncEnumerator())
        {
            while (true)
            {
                var next = items.MoveNextAsync();
                // The work had its data at hand: the item is there without any wait or other thread.
                Assert.True(next.IsCompleted);
                if (!await next) break;
                seen.Add(items.Current);
            }
        }
        Assert.Equal(new[] { 1, 2, 3 }, seen);
        Assert.All(threads, t => Assert.Equal(consumer, t));
        Assert.Equal("done", stream.Result);
    }

    [Fact]
    public async Task A_push_after_a_network_wait_wakes_the_consumer_and_the_work_fails_through_it()
    {
        var network = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = new PushedStream<string, int>(async (emit, token) =>
        {
            await network.Task.ConfigureAwait(false);
            await emit("line").ConfigureAwait(false);
            throw new InvalidDataException("broken frame");
        });
        var items = stream.GetAsyncEnumerator();
        var first = items.MoveNextAsync();
        Assert.False(first.IsCompleted);
        network.SetResult(true);
        Assert.True(await first);
        Assert.Equal("line", items.Current);
        await Assert.ThrowsAsync<InvalidDataException>(async () => await items.MoveNextAsync());
        await items.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_between_items_ends_the_work_with_a_cancellation()
    {
        Exception? seenByWork = null;
        var stream = new PushedStream<int, int>(async (emit, token) =>
        {
            try
            {
                await emit(1).ConfigureAwait(false);
                await emit(2).ConfigureAwait(false);
                return 2;
            }
            catch (Exception e)
            {
                seenByWork = e;
                throw;
            }
        });
        var items = stream.GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync());
        await items.DisposeAsync();
        Assert.IsAssignableFrom<OperationCanceledException>(seenByWork);
        Assert.Throws<InvalidOperationException>(() => stream.Result);
    }
}
