using System.Buffers.Binary;
using System.Text;

namespace StudioPS.Emulator.State;

/// <summary>
/// The bytes of one export part: parquet-shaped ("PAR1", column data, a footer, its length, "PAR1"),
/// deterministic for a seed, generated into the frame writer given: once into the bytes the parts host keeps
/// (<see cref="KeptParts"/>), or, for a part beyond its budget, while they are sent, at no cost in memory.
/// </summary>
public static class ParquetPart
{
    static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <summary>The bytes <see cref="WriteAsync"/> writes for <paramref name="size"/> and <paramref name="seed"/>: the size, or the least a part holds.</summary>
    public static long Length(long size, ulong seed) => Math.Max(size, Least(Footer(seed)));

    static byte[] Footer(ulong seed) => Encoding.UTF8.GetBytes($"{{\"schema\":[\"id\",\"value\"],\"created_by\":\"studio-emulator\",\"seed\":{seed}}}");

    /// <summary>A part without column data: the magic, the footer, its length, the magic.</summary>
    static long Least(byte[] footer) => Magic.Length * 2 + footer.Length + 4;

    public static async Task WriteAsync(Lz4FrameWriter frame, long size, ulong seed, CancellationToken ct)
    {
        var footer = Footer(seed);
        long body = Math.Max(0, size - Least(footer));
        await frame.WriteAsync(Magic, ct);
        var buffer = new byte[64 * 1024];
        ulong state = seed | 1;
        while (body > 0)
        {
            int n = (int)Math.Min(buffer.Length, body);
            for (int i = 0; i + 8 <= buffer.Length; i += 8)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(i), state);
            }
            await frame.WriteAsync(buffer.AsMemory(0, n), ct);
            body -= n;
        }
        var tail = new byte[footer.Length + 8];
        footer.CopyTo(tail, 0);
        BinaryPrimitives.WriteInt32LittleEndian(tail.AsSpan(footer.Length), footer.Length);
        Magic.CopyTo(tail, footer.Length + 4);
        await frame.WriteAsync(tail, ct);
        await frame.CompleteAsync(ct);
    }
}
