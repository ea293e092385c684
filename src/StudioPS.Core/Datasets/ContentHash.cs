using System;
using System.Runtime.CompilerServices;
using StudioPS.Http;

namespace StudioPS.Datasets;

/// <summary>
/// Streaming xxHash32 (seed 0), the LZ4 frame's content checksum. K4os.Hash.xxHash computes the same value
/// (the tests hold that), but in a fresh process its loop ran at about 1 GB/s, which made hashing the largest
/// user-time cost of a save; this one is compiled optimized at its first call.
/// </summary>
internal sealed class ContentHash
{
    private const uint Prime1 = 2654435761U;
    private const uint Prime2 = 2246822519U;
    private const uint Prime3 = 3266489917U;
    private const uint Prime4 = 668265263U;
    private const uint Prime5 = 374761393U;

    private uint _v1 = unchecked(Prime1 + Prime2);
    private uint _v2 = Prime2;
    private uint _v3;
    private uint _v4 = unchecked(0 - Prime1);
    private long _length;
    private readonly byte[] _pending = new byte[16];
    private int _pendingLength;

    /// <summary>Adds <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void Update(byte[] data, int offset, int count)
    {
        // The loop reads four bytes at a time past a single bounds check: the range is checked here, once.
        if (offset < 0 || count < 0 || offset > data.Length - count) throw new ArgumentOutOfRangeException(nameof(count));
        _length += count;
        if (_pendingLength > 0)
        {
            var take = Math.Min(16 - _pendingLength, count);
            Buffer.BlockCopy(data, offset, _pending, _pendingLength, take);
            _pendingLength += take;
            offset += take;
            count -= take;
            if (_pendingLength < 16) return;
            Stripe(_pending, 0);
            _pendingLength = 0;
        }
        uint v1 = _v1, v2 = _v2, v3 = _v3, v4 = _v4;
        var end = offset + count - 16;
        var at = offset;
        unchecked
        {
            for (; at <= end; at += 16)
            {
                v1 = Round(v1, Read(data, at));
                v2 = Round(v2, Read(data, at + 4));
                v3 = Round(v3, Read(data, at + 8));
                v4 = Round(v4, Read(data, at + 12));
            }
        }
        _v1 = v1; _v2 = v2; _v3 = v3; _v4 = v4;
        var rest = offset + count - at;
        if (rest > 0)
        {
            Buffer.BlockCopy(data, at, _pending, 0, rest);
            _pendingLength = rest;
        }
    }

    /// <summary>The hash of everything added so far.</summary>
    public uint Digest()
    {
        unchecked
        {
            var h = _length >= 16
                ? Rotate(_v1, 1) + Rotate(_v2, 7) + Rotate(_v3, 12) + Rotate(_v4, 18)
                : Prime5;
            h += (uint)_length;
            var at = 0;
            for (; at + 4 <= _pendingLength; at += 4) h = Rotate(h + Read(_pending, at) * Prime3, 17) * Prime4;
            for (; at < _pendingLength; at++) h = Rotate(h + _pending[at] * Prime5, 11) * Prime1;
            h ^= h >> 15;
            h *= Prime2;
            h ^= h >> 13;
            h *= Prime3;
            h ^= h >> 16;
            return h;
        }
    }

    private void Stripe(byte[] data, int at)
    {
        _v1 = Round(_v1, Read(data, at));
        _v2 = Round(_v2, Read(data, at + 4));
        _v3 = Round(_v3, Read(data, at + 8));
        _v4 = Round(_v4, Read(data, at + 12));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Round(uint acc, uint input) => unchecked(Rotate(acc + input * Prime2, 13) * Prime1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Rotate(uint value, int bits) => (value << bits) | (value >> (32 - bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Read(byte[] data, int at) => BitConverter.IsLittleEndian
        ? Unsafe.ReadUnaligned<uint>(ref data[at])
        : (uint)(data[at] | data[at + 1] << 8 | data[at + 2] << 16 | data[at + 3] << 24);
}
