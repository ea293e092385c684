using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.IO;
using K4os.Compression.LZ4;
using K4os.Hash.xxHash;
using StudioPS.Http;

namespace StudioPS.Datasets;

/// <summary>
/// Decodes LZ4 frames (the LZ4 frame format, v1.6.x) from a body into a file with as few copies as the format
/// allows: the body is read into one buffer large enough for a block, a stored (uncompressed) block is written
/// to the output straight from there, a compressed one is decoded by K4os's block decoder into a second buffer
/// and written from that. Everything the format can check is checked: the magic number, the descriptor and its
/// checksum, each block's size and (when present) checksum, the end mark, the content size and the content
/// checksum (xxHash32 of everything decoded). Frames following one another are decoded one after another and
/// skippable frames skipped, as the reference decoder does; a frame that needs a dictionary, a legacy frame,
/// or anything else is refused with an <see cref="InvalidDataException"/> that says what was wrong.
/// </summary>
internal sealed class Lz4FrameReader
{
    private const uint FrameMagic = 0x184D2204;
    private const uint LegacyMagic = 0x184C2102;
    private const uint SkippableMagic = 0x184D2A50; // to 0x184D2A5F
    private const int WindowSize = 64 * 1024;
    // The most a read asks for beyond what the next block needs: one LZ4 block of a Studio part.
    private const int ReadChunk = 64 * 1024;

    private readonly Stream _source;
    private readonly Stream _output;
    private byte[] _in = new byte[2 * ReadChunk + 8];
    private int _start;
    private int _end;
    private byte[]? _out;
    private byte[]? _window;
    private int _windowLength;
    private long _sourceOffset;
    // The frame being decoded.
    private bool _independent;
    private bool _blockChecksum;
    private int _blockMax;
    private ContentHash? _hash;
    // The content size the descriptor gives (any 64-bit value: kept unsigned for the comparison and the message);
    // ulong.MaxValue stands for none too, which no content reaches.
    private ulong _contentSize;
    private long _decoded;
    private int _blocks;

    /// <param name="source">The frames, read with blocking <see cref="Stream.Read(byte[], int, int)"/> calls (a thread of its own reads a part).</param>
    /// <param name="output">Where the decoded bytes go, written with plain <see cref="Stream.Write(byte[], int, int)"/> calls of at most
    /// <see cref="PageCacheWrites.Most"/> bytes each.</param>
    public Lz4FrameReader(Stream source, Stream output)
    {
        _source = source;
        _output = output;
    }

    /// <summary>Decodes every frame of the source into the output; returns the bytes written.</summary>
    public long Copy()
    {
        long total = 0;
        var frames = 0;
        var skipped = 0;
        while (true)
        {
            if (!Fill(4))
            {
                if (_end - _start > 0) throw Invalid("it ends with {0} byte(s) that are not a frame", _end - _start);
                if (frames == 0) throw skipped == 0 ? Invalid("the body is empty") : Invalid("it holds {0} skippable frame(s) and no LZ4 frame", skipped);
                return total;
            }
            var magic = ReadUInt32(_start);
            if ((magic & 0xFFFFFFF0) == SkippableMagic)
            {
                SkipFrame();
                skipped++;
                continue;
            }
            if (magic == LegacyMagic) throw Invalid("it is a legacy LZ4 frame (magic 0x184C2102), which this reader does not read");
            if (magic != FrameMagic)
            {
                throw frames == 0
                    ? Invalid("it does not start with the LZ4 frame magic number (found 0x{0:X8})", magic)
                    : Invalid("what follows frame {0} is neither a frame nor a skippable frame (found 0x{1:X8} at byte {2})", frames, magic, Position);
            }
            total += Frame();
            frames++;
        }
    }

    private long Position => _sourceOffset - (_end - _start);

    private void SkipFrame()
    {
        if (!Fill(8)) throw Truncated("a skippable frame's header");
        long left = ReadUInt32(_start + 4);
        Consume(8);
        while (left > 0)
        {
            if (_end == _start && !Fill(1)) throw Truncated("a skippable frame");
            var take = (int)Math.Min(left, _end - _start);
            Consume(take);
            left -= take;
        }
    }

    [MethodImpl(HotPath.Optimized)]
    private long Frame()
    {
        if (!Fill(7)) throw Truncated("the frame descriptor");
        var flg = _in[_start + 4];
        var bd = _in[_start + 5];
        if (flg >> 6 != 1) throw Invalid("the frame's version is {0}, not 1", flg >> 6);
        if ((flg & 0x02) != 0 || (bd & 0x8F) != 0) throw Invalid("reserved bits of the frame descriptor are set (FLG 0x{0:X2}, BD 0x{1:X2})", flg, bd);
        var independent = (flg & 0x20) != 0;
        var blockChecksum = (flg & 0x10) != 0;
        var hasContentSize = (flg & 0x08) != 0;
        var contentChecksum = (flg & 0x04) != 0;
        var hasDictionary = (flg & 0x01) != 0;
        var sizeId = (bd >> 4) & 0x07;
        if (sizeId < 4) throw Invalid("the frame's block maximum size id is {0}, not 4-7", sizeId);
        var blockMax = 1 << (8 + 2 * sizeId);
        var descriptor = 2 + (hasContentSize ? 8 : 0) + (hasDictionary ? 4 : 0);
        if (!Fill(4 + descriptor + 1)) throw Truncated("the frame descriptor");
        var expected = (byte)((XXH32.DigestOf(_in, _start + 4, descriptor) >> 8) & 0xFF);
        if (_in[_start + 4 + descriptor] != expected)
            throw Invalid("the frame descriptor's checksum is 0x{0:X2}, not 0x{1:X2}", _in[_start + 4 + descriptor], expected);
        var contentSize = hasContentSize ? ReadUInt64(_start + 6) : ulong.MaxValue;
        if (hasDictionary) throw Invalid("the frame needs a dictionary (id {0}) that was not given", ReadUInt32(_start + 6 + (hasContentSize ? 8 : 0)));
        Consume(4 + descriptor + 1);

        // The buffers grow to what the blocks need (Fill, and _out at the first compressed block), not to the
        // frame's maximum: a Studio part declares 256 KiB blocks and sends 64 KiB stored ones, and memory touched
        // for the first time costs a page fault a page.
        if (!independent && _window == null) _window = new byte[WindowSize];
        _windowLength = 0;
        _independent = independent;
        _blockChecksum = blockChecksum;
        _blockMax = blockMax;
        _hash = contentChecksum ? new ContentHash() : null;
        _contentSize = contentSize;
        _decoded = 0;
        _blocks = 0;
        int need;
        while ((need = DecodeBlocks()) > 0)
        {
            if (!Fill(need))
                throw Truncated(_end - _start < 4 ? "block " + _blocks.ToString(CultureInfo.InvariantCulture) + "'s header" : "block " + _blocks.ToString(CultureInfo.InvariantCulture));
        }
        var decoded = _decoded;
        var hash = _hash;
        if (contentChecksum)
        {
            if (!Fill(4)) throw Truncated("the content checksum");
            var sent = ReadUInt32(_start);
            var actual = hash!.Digest();
            if (sent != actual) throw Invalid("its content checksum is 0x{0:X8} but the content decoded hashes to 0x{1:X8}: the part was damaged", sent, actual);
            Consume(4);
        }
        if (hasContentSize && (ulong)decoded != contentSize)
            throw Invalid("the frame says its content is {0} bytes, but {1} were decoded", contentSize, decoded);
        return decoded;
    }

    /// <summary>
    /// Decodes and writes the blocks that are whole in the buffer. Returns 0 after the end mark, else the bytes
    /// that must be in the buffer (from the next block's header on) before it can go on.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private int DecodeBlocks()
    {
        while (true)
        {
            if (_end - _start < 4) return 4;
            var word = ReadUInt32(_start);
            var length = (int)(word & 0x7FFFFFFF);
            if (length == 0)
            {
                Consume(4);
                return 0;
            }
            if (length > _blockMax) throw Invalid("block {0} is {1} bytes, more than the frame's maximum of {2}", _blocks, length, _blockMax);
            var room = 4 + length + (_blockChecksum ? 4 : 0);
            if (_end - _start < room) return room;
            var at = _start + 4;
            if (_blockChecksum && XXH32.DigestOf(_in, at, length) != ReadUInt32(at + length))
                throw Invalid("block {0}'s checksum does not match", _blocks);
            byte[] data;
            int offset, count;
            if ((word & 0x80000000) != 0)
            {
                data = _in;
                offset = at;
                count = length;
            }
            else
            {
                if (_out == null || _out.Length < _blockMax) _out = new byte[_blockMax];
                count = _independent || _windowLength == 0
                    ? LZ4Codec.Decode(_in, at, length, _out!, 0, _blockMax)
                    : LZ4Codec.Decode(_in, at, length, _out!, 0, _blockMax, _window!, 0, _windowLength);
                if (count < 0) throw Invalid("block {0} is not valid LZ4 data", _blocks);
                data = _out!;
                offset = 0;
            }
            // A frame that lies about its size fails at the block that goes beyond it, before that block is written,
            // not after everything the server chose to send has been written to disk.
            if ((ulong)(_decoded + count) > _contentSize)
                throw Invalid("the frame says its content is {0} bytes, but block {1} brings it to {2}", _contentSize, _blocks, _decoded + count);
            _hash?.Update(data, offset, count);
            PageCacheWrites.Write(_output, data, offset, count);
            if (!_independent) Remember(data, offset, count);
            _decoded += count;
            _blocks++;
            Consume(room);
        }
    }

    /// <summary>Keeps the last 64 KiB decoded: the dictionary of the next block of a linked frame.</summary>
    private void Remember(byte[] data, int offset, int count)
    {
        var window = _window!;
        if (count >= WindowSize)
        {
            Buffer.BlockCopy(data, offset + count - WindowSize, window, 0, WindowSize);
            _windowLength = WindowSize;
            return;
        }
        var keep = Math.Min(_windowLength, WindowSize - count);
        if (keep > 0 && keep < _windowLength) Buffer.BlockCopy(window, _windowLength - keep, window, 0, keep);
        Buffer.BlockCopy(data, offset, window, keep, count);
        _windowLength = keep + count;
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available from <see cref="_start"/>; false when the source ends first.</summary>
    /// <remarks>
    /// The bytes not yet decoded (less than a block) move to the buffer's start, and each read asks for what is
    /// missing or <see cref="ReadChunk"/>, whichever is more: the reads and writes then go through the same
    /// first ~128 KiB of the buffer, which stays in the CPU's cache. Reading as much as the buffer holds
    /// (a block maximum plus a read-ahead) cycled through ~400 KiB per part, four parts at once, and took more
    /// kernel time per GiB than a 64 KiB buffer (most of that difference was later traced to the writes' size:
    /// see <see cref="PageCacheWrites"/>).
    /// </remarks>
    [MethodImpl(HotPath.Optimized)]
    private bool Fill(int count)
    {
        if (_end - _start >= count) return true;
        if (count > _in.Length)
        {
            var larger = new byte[count + ReadChunk];
            Buffer.BlockCopy(_in, _start, larger, 0, _end - _start);
            _in = larger;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_in, _start, _in, 0, _end - _start);
        }
        _end -= _start;
        _start = 0;
        while (_end - _start < count)
        {
            var want = Math.Min(_in.Length - _end, Math.Max(count - (_end - _start), ReadChunk));
            var read = _source.Read(_in, _end, want);
            if (read <= 0) return false;
            _end += read;
            _sourceOffset += read;
        }
        return true;
    }

    private void Consume(int count) => _start += count;

    private uint ReadUInt32(int at) => (uint)(_in[at] | _in[at + 1] << 8 | _in[at + 2] << 16 | _in[at + 3] << 24);

    private ulong ReadUInt64(int at) => ReadUInt32(at) | (ulong)ReadUInt32(at + 4) << 32;

    private static InvalidDataException Invalid(string format, params object[] args) =>
        new InvalidDataException(string.Format(CultureInfo.InvariantCulture, format, args));

    private InvalidDataException Truncated(string what) =>
        new InvalidDataException(string.Format(CultureInfo.InvariantCulture, "the body ends inside {0}, after {1} bytes: the frame is cut short", what, _sourceOffset));
}
