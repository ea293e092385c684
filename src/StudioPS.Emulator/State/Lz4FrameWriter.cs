using System.Buffers.Binary;

namespace StudioPS.Emulator.State;

/// <summary>
/// Writes an LZ4 frame (the format lz4.frame in Python writes): magic, descriptor with its checksum, blocks,
/// end mark and a content checksum. Blocks alternate between stored (uncompressed flag) and literal-only
/// compressed blocks, both of which every conforming reader must accept.
/// </summary>
public sealed class Lz4FrameWriter(Stream output)
{
    const int BlockData = 64 * 1024;
    const int MaxBlock = 256 * 1024;
    readonly byte[] _buffer = new byte[BlockData];
    readonly byte[] _block = new byte[MaxBlock + 16];
    readonly XxHash32 _content = new();
    int _filled;
    int _blocks;
    bool _started;

    /// <summary>
    /// The bytes of the frame this writer makes of <paramref name="contentLength"/> bytes: header, blocks
    /// (stored and literal-only by turns), end mark and content checksum. The parts host sends it as
    /// Content-Length, as object storage does.
    /// </summary>
    public static long FrameLength(long contentLength)
    {
        long total = 7 + 8;
        long blocks = (contentLength + BlockData - 1) / BlockData;
        for (long b = 0; b < blocks; b++)
        {
            long n = Math.Min(BlockData, contentLength - b * BlockData);
            total += 4 + n;
            if (b % 2 == 1) total += 1 + (n >= 15 ? (n - 15) / 255 + 1 : 0);
        }
        return total;
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (!_started) await HeaderAsync(ct);
        while (!data.IsEmpty)
        {
            int take = Math.Min(BlockData - _filled, data.Length);
            data[..take].CopyTo(_buffer.AsMemory(_filled));
            _filled += take;
            data = data[take..];
            if (_filled == BlockData) await FlushBlockAsync(ct);
        }
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        if (!_started) await HeaderAsync(ct);
        if (_filled > 0) await FlushBlockAsync(ct);
        var tail = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(tail.AsSpan(4), _content.Digest());
        await output.WriteAsync(tail, ct);
    }

    async Task HeaderAsync(CancellationToken ct)
    {
        _started = true;
        // FLG: version 01, independent blocks, content checksum. BD: 256 KB blocks.
        byte flg = 0b0110_0100, bd = 0b0101_0000;
        byte hc = (byte)((XxHash32.Hash([flg, bd]) >> 8) & 0xFF);
        await output.WriteAsync(new byte[] { 0x04, 0x22, 0x4D, 0x18, flg, bd, hc }, ct);
    }

    async Task FlushBlockAsync(CancellationToken ct)
    {
        var data = _buffer.AsSpan(0, _filled);
        _content.Append(data);
        int length;
        if (_blocks++ % 2 == 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_block, (uint)_filled | 0x8000_0000u);
            data.CopyTo(_block.AsSpan(4));
            length = 4 + _filled;
        }
        else
        {
            // One sequence of literals only: a token, the length extension, the bytes.
            int at = 4;
            int n = _filled;
            _block[at++] = (byte)(Math.Min(n, 15) << 4);
            if (n >= 15)
            {
                int rest = n - 15;
                while (rest >= 255) { _block[at++] = 255; rest -= 255; }
                _block[at++] = (byte)rest;
            }
            data.CopyTo(_block.AsSpan(at));
            at += n;
            BinaryPrimitives.WriteUInt32LittleEndian(_block, (uint)(at - 4));
            length = at;
        }
        await output.WriteAsync(_block.AsMemory(0, length), ct);
        _filled = 0;
    }
}
