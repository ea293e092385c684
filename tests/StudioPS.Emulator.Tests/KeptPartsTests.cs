using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Tests;

public sealed class KeptPartsTests
{
    static Func<byte[]> Counting(int length, Action onMake) => () =>
    {
        onMake();
        return Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
    };

    [Fact]
    public async Task A_part_is_made_once_and_every_later_request_gets_the_same_bytes()
    {
        var parts = new KeptParts(1000);
        int made = 0;
        var make = Counting(100, () => Interlocked.Increment(ref made));
        var requests = Enumerable.Range(0, 8).Select(_ => Task.Run(() => parts.GetOrMake(7, 90, 100, make)!)).ToArray();
        var sent = await Task.WhenAll(requests);
        Assert.Equal(1, made);
        Assert.All(sent, bytes => Assert.Same(sent[0], bytes));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (byte)i), sent[0]);
        Assert.Equal(100, parts.KeptBytes);
        // Another seed or size is another part.
        Assert.NotSame(sent[0], await parts.GetOrMake(8, 90, 100, make)!);
        Assert.NotSame(sent[0], await parts.GetOrMake(7, 91, 100, make)!);
        Assert.Equal((3, 300L), (made, parts.KeptBytes));
    }

    [Fact]
    public async Task A_part_that_does_not_fit_in_what_is_left_of_the_budget_is_not_kept_and_not_made_here()
    {
        var parts = new KeptParts(250);
        int made = 0;
        var make = Counting(100, () => made++);
        Assert.NotNull(await parts.GetOrMake(1, 90, 100, make)!);
        Assert.NotNull(await parts.GetOrMake(2, 90, 100, make)!);
        Assert.Null(parts.GetOrMake(3, 90, 100, make));
        Assert.Equal((2, 200L), (made, parts.KeptBytes));
        // What is left still takes a smaller part: exactly the rest of the budget.
        Assert.NotNull(await parts.GetOrMake(4, 40, 50, Counting(50, () => made++))!);
        Assert.Equal((3, 250L), (made, parts.KeptBytes));
        Assert.Null(new KeptParts(0).GetOrMake(1, 1, 1, make));
    }

    [Fact]
    public async Task A_part_that_fails_to_be_made_is_forgotten_and_made_again_next_time()
    {
        var parts = new KeptParts(1000);
        var failing = parts.GetOrMake(1, 90, 100, () => throw new IOException("disk gone"))!;
        await Assert.ThrowsAsync<IOException>(() => failing);
        Assert.Equal(0, parts.KeptBytes);
        var wrongLength = parts.GetOrMake(1, 90, 100, () => new byte[99])!;
        Assert.Contains("99", (await Assert.ThrowsAsync<InvalidOperationException>(() => wrongLength)).Message);
        Assert.Equal(0, parts.KeptBytes);
        int made = 0;
        Assert.Equal(100, (await parts.GetOrMake(1, 90, 100, Counting(100, () => made++))!).Length);
        Assert.Equal((1, 100L), (made, parts.KeptBytes));
    }

    [Fact]
    public async Task A_make_that_fails_after_a_reset_leaves_the_parts_kept_since_alone()
    {
        var parts = new KeptParts(100);
        using var gate = new ManualResetEventSlim();
        var old = parts.GetOrMake(1, 90, 100, () => { gate.Wait(); throw new IOException("late"); })!;
        parts.Clear();
        // The reset freed the budget the unfinished make had taken.
        var fresh = await parts.GetOrMake(2, 90, 100, Counting(100, () => { }))!;
        gate.Set();
        await Assert.ThrowsAsync<IOException>(() => old);
        Assert.Equal(100, parts.KeptBytes);
        Assert.Same(fresh, await parts.GetOrMake(2, 90, 100, () => throw new InvalidOperationException("made twice"))!);
    }

    [Fact]
    public async Task Clearing_drops_every_part_and_frees_the_budget()
    {
        var parts = new KeptParts(100);
        int made = 0;
        var make = Counting(100, () => made++);
        var first = await parts.GetOrMake(1, 90, 100, make)!;
        parts.Clear();
        Assert.Equal(0, parts.KeptBytes);
        var second = await parts.GetOrMake(1, 90, 100, make)!;
        Assert.NotSame(first, second);
        Assert.Equal((2, 100L), (made, parts.KeptBytes));
    }
}
