using StudioPS.Http;

namespace StudioPS.Core.Tests.Support;

/// <summary>A body that hands out 1 to <c>most</c> bytes per read (sizes from a seeded sequence), as a network does.</summary>
internal sealed class TrickleStream : ReadOnlyStream
{
    private readonly byte[] _bytes;
    private readonly Random _sizes;
    private readonly int _most;
    private int _at;

    public TrickleStream(byte[] bytes, int seed, int most)
    {
        _bytes = bytes;
        _sizes = new Random(seed);
        _most = most;
    }

    public int Reads { get; private set; }

    /// <summary>The most one read asked for.</summary>
    public int LargestAsk { get; private set; }

    /// <summary>The furthest into the caller's buffer a read reached.</summary>
    public int FurthestOffset { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Reads++;
        LargestAsk = Math.Max(LargestAsk, count);
        FurthestOffset = Math.Max(FurthestOffset, offset + count);
        var n = Math.Min(Math.Min(count, _sizes.Next(1, _most + 1)), _bytes.Length - _at);
        Array.Copy(_bytes, _at, buffer, offset, n);
        _at += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The reader reads with blocking reads.");
}
