using System.Buffers.Binary;
using System.Numerics;

namespace StudioPS.Emulator.State;

/// <summary>Streaming xxHash32 (the LZ4 frame format's checksum), written from the published algorithm.</summary>
public sealed class XxHash32
{
    const uint P1 = 2654435761U, P2 = 2246822519U, P3 = 3266489917U, P4 = 668265263U, P5 = 374761393U;
    uint _v1 = unchecked(P1 + P2), _v2 = P2, _v3 = 0, _v4 = unchecked(0 - P1);
    readonly byte[] _pending = new byte[16];
    int _pendingLength;
    long _total;

    public static uint Hash(ReadOnlySpan<byte> data)
    {
        var h = new XxHash32();
        h.Append(data);
        return h.Digest();
    }

    static uint Round(uint acc, uint lane) => BitOperations.RotateLeft(unchecked(acc + lane * P2), 13) * P1;

    public void Append(ReadOnlySpan<byte> data)
    {
        _total += data.Length;
        if (_pendingLength > 0)
        {
            int take = Math.Min(16 - _pendingLength, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < 16) return;
            Stripe(_pending);
            _pendingLength = 0;
        }
        while (data.Length >= 16)
        {
            Stripe(data[..16]);
            data = data[16..];
        }
        data.CopyTo(_pending);
        _pendingLength = data.Length;
    }

    void Stripe(ReadOnlySpan<byte> s)
    {
        unchecked
        {
            _v1 = Round(_v1, BinaryPrimitives.ReadUInt32LittleEndian(s));
            _v2 = Round(_v2, BinaryPrimitives.ReadUInt32LittleEndian(s[4..]));
            _v3 = Round(_v3, BinaryPrimitives.ReadUInt32LittleEndian(s[8..]));
            _v4 = Round(_v4, BinaryPrimitives.ReadUInt32LittleEndian(s[12..]));
        }
    }

    public uint Digest()
    {
        unchecked
        {
            uint h = _total >= 16
                ? BitOperations.RotateLeft(_v1, 1) + BitOperations.RotateLeft(_v2, 7) + BitOperations.RotateLeft(_v3, 12) + BitOperations.RotateLeft(_v4, 18)
                : P5;
            h += (uint)_total;
            var rest = _pending.AsSpan(0, _pendingLength);
            while (rest.Length >= 4)
            {
                h = BitOperations.RotateLeft(h + BinaryPrimitives.ReadUInt32LittleEndian(rest) * P3, 17) * P4;
                rest = rest[4..];
            }
            foreach (byte b in rest) h = BitOperations.RotateLeft(h + b * P5, 11) * P1;
            h ^= h >> 15;
            h *= P2;
            h ^= h >> 13;
            h *= P3;
            h ^= h >> 16;
            return h;
        }
    }
}
