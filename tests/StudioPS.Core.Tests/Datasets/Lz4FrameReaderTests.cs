using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using K4os.Hash.xxHash;
using StudioPS.Datasets;
using StudioPS.Core.Tests.Support;
using Xunit;

namespace StudioPS.Core.Tests.Datasets;

public class Lz4FrameReaderTests
{
    private static byte[] Content(int size, bool compressible, int seed = 1)
    {
        var bytes = new byte[size];
        var random = new Random(seed);
        if (!compressible)
        {
            random.NextBytes(bytes);
            return bytes;
        }
        // Text-like: words repeated at varying distances, so matches reach back across block boundaries.
        var words = Enumerable.Range(0, 300).Select(i => System.Text.Encoding.ASCII.GetBytes($"w{i * 7919 % 1000},")).ToArray();
        for (var at = 0; at < size;)
        {
            var word = words[random.Next(words.Length)];
            var n = Math.Min(word.Length, size - at);
            Array.Copy(word, 0, bytes, at, n);
            at += n;
        }
        return bytes;
    }

    private static byte[] Encode(byte[] content, LZ4EncoderSettings settings)
    {
        using var output = new MemoryStream();
        using (var encoder = LZ4Stream.Encode(output, settings, leaveOpen: true)) encoder.Write(content, 0, content.Length);
        return output.ToArray();
    }

    private static Task<(byte[] Output, long Count)> Decode(byte[] frame, int seed = 0, int most = 100_000)
    {
        using var output = new MemoryStream();
        var count = new Lz4FrameReader(new TrickleStream(frame, seed, most), output).Copy();
        return Task.FromResult((output.ToArray(), count));
    }

    private static async Task<string> Refused(byte[] frame)
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await Decode(frame));
        return error.Message;
    }

    public static IEnumerable<object[]> EncoderOptions()
    {
        foreach (var blockSize in new[] { 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024 })
        foreach (var linked in new[] { false, true })
        foreach (var checksums in new[] { (false, false), (true, false), (false, true), (true, true) })
        foreach (var compressible in new[] { false, true })
            yield return new object[] { blockSize, linked, checksums.Item1, checksums.Item2, compressible };
    }

    [Theory]
    [MemberData(nameof(EncoderOptions))]
    public async Task Frames_K4os_writes_with_every_option_decode_to_their_content(int blockSize, bool linked, bool blockChecksum, bool contentChecksum, bool compressible)
    {
        // Two and a half blocks, so that blocks follow one another and the last is short.
        var content = Content(blockSize * 2 + blockSize / 2 + 17, compressible, seed: blockSize);
        var frame = Encode(content, new LZ4EncoderSettings
        {
            BlockSize = blockSize, ChainBlocks = linked, BlockChecksum = blockChecksum, ContentChecksum = contentChecksum,
            CompressionLevel = compressible ? LZ4Level.L09_HC : LZ4Level.L00_FAST,
        });
        // What the test means to cover is in the frame's descriptor.
        Assert.Equal(linked ? 0 : 0x20, frame[4] & 0x20);
        Assert.Equal(blockChecksum ? 0x10 : 0, frame[4] & 0x10);
        Assert.Equal(contentChecksum ? 0x04 : 0, frame[4] & 0x04);
        if (compressible) Assert.True(frame.Length < content.Length / 2, "compressible content was compressed");
        else Assert.True(frame.Length > content.Length, "incompressible content was stored");

        var (output, count) = await Decode(frame, seed: blockSize + (linked ? 1 : 0), most: 70_000);

        Assert.Equal(content.Length, count);
        Assert.Equal(content, output);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public async Task Small_and_empty_contents_decode(int size)
    {
        var content = Content(size, compressible: true);
        var (output, count) = await Decode(Encode(content, new LZ4EncoderSettings { ContentChecksum = true }));
        Assert.Equal(size, count);
        Assert.Equal(content, output);
    }

    [Fact]
    public async Task A_body_read_a_few_bytes_at_a_time_decodes_the_same()
    {
        var content = Content(300_000, compressible: true);
        var frame = Encode(content, new LZ4EncoderSettings { BlockSize = 64 * 1024, ChainBlocks = true, BlockChecksum = true, ContentChecksum = true });
        var (output, _) = await Decode(frame, seed: 3, most: 7);
        Assert.Equal(content, output);
    }

    [Fact]
    public async Task Stored_and_literal_only_blocks_as_the_emulator_writes_them_decode()
    {
        var content = Content(3 * 65536 + 5, compressible: false);
        var frame = new List<byte>(Header(0x64, 0x50));
        for (var at = 0; at < content.Length; at += 65536)
        {
            var block = content.Skip(at).Take(65536).ToArray();
            if (at / 65536 % 2 == 0)
            {
                frame.AddRange(BitConverter.GetBytes((uint)block.Length | 0x80000000u));
                frame.AddRange(block);
            }
            else
            {
                // One sequence of literals only: the token, the length's extension bytes, the bytes.
                var literals = new List<byte> { (byte)(Math.Min(block.Length, 15) << 4) };
                for (var rest = block.Length - 15; rest >= 0; rest -= 255)
                {
                    literals.Add((byte)Math.Min(rest, 255));
                    if (rest < 255) break;
                }
                literals.AddRange(block);
                frame.AddRange(BitConverter.GetBytes((uint)literals.Count));
                frame.AddRange(literals);
            }
        }
        frame.AddRange(new byte[4]);
        frame.AddRange(BitConverter.GetBytes(XXH32.DigestOf(content, 0, content.Length)));

        var (output, _) = await Decode(frame.ToArray(), most: 40_000);

        Assert.Equal(content, output);
    }

    [Fact]
    public async Task A_frame_cut_short_anywhere_is_refused()
    {
        var frame = Encode(Content(3000, compressible: true), new LZ4EncoderSettings { BlockSize = 64 * 1024, BlockChecksum = true, ContentChecksum = true });
        for (var length = 0; length < frame.Length; length++)
        {
            var message = await Refused(frame.Take(length).ToArray());
            Assert.True(length == 0 ? message.Contains("empty", StringComparison.Ordinal) : message.Contains("cut short", StringComparison.Ordinal) || message.Contains("not a frame", StringComparison.Ordinal),
                $"cut at {length}: {message}");
        }
    }

    [Fact]
    public async Task A_linked_frame_of_several_blocks_with_a_content_size_cut_short_anywhere_is_refused()
    {
        // Two blocks (the second compressed against the first), the content size in the descriptor and both
        // checksums: every byte of it is a place the body may end.
        var content = Content(65536 + 2000, compressible: true, seed: 11);
        var encoded = Encode(content, new LZ4EncoderSettings { BlockSize = 64 * 1024, ChainBlocks = true, BlockChecksum = true, ContentChecksum = true });
        // K4os writes no content size: the descriptor is rewritten with one (FLG bit 3) and its checksum.
        var frame = Header((byte)(encoded[4] | 0x08), encoded[5], contentSize: (ulong)content.Length).Concat(encoded.Skip(7)).ToArray();
        Assert.Equal(content, (await Decode(frame)).Output);
        Assert.True(frame.Length < 40_000, $"the frame is {frame.Length} bytes");
        for (var length = 1; length < frame.Length; length++)
        {
            var message = await Refused(frame.AsSpan(0, length).ToArray());
            Assert.True(message.Contains("cut short", StringComparison.Ordinal) || message.Contains("not a frame", StringComparison.Ordinal), $"cut at {length}: {message}");
        }
    }

    [Fact]
    public async Task A_damaged_content_is_refused_by_the_content_checksum()
    {
        var content = Content(200_000, compressible: false);
        var frame = Encode(content, new LZ4EncoderSettings { ContentChecksum = true });
        frame[frame.Length / 2] ^= 0x01; // inside a stored block: the decoder itself cannot notice
        Assert.Contains("content checksum", await Refused(frame));
    }

    [Fact]
    public async Task A_damaged_block_is_refused_by_its_block_checksum()
    {
        var frame = Encode(Content(200_000, compressible: false), new LZ4EncoderSettings { BlockChecksum = true });
        frame[20] ^= 0x01;
        Assert.Contains("block 0's checksum", await Refused(frame));
    }

    [Fact]
    public async Task A_damaged_descriptor_is_refused_by_its_checksum()
    {
        var frame = Encode(Content(1000, compressible: true), new LZ4EncoderSettings());
        frame[6] ^= 0x01;
        Assert.Contains("descriptor's checksum", await Refused(frame));
    }

    [Fact]
    public async Task A_compressed_block_that_is_not_valid_LZ4_is_refused()
    {
        // Token 0xF0: fifteen or more literals, but the length byte and the literals are missing.
        var frame = Header(0x60, 0x40).Concat(BitConverter.GetBytes(1u)).Concat(new byte[] { 0xF0 }).Concat(new byte[4]).ToArray();
        Assert.Contains("not valid LZ4 data", await Refused(frame));
    }

    [Theory]
    [InlineData(new byte[] { 0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E }, "magic number")]
    [InlineData(new byte[] { 0x02, 0x21, 0x4C, 0x18, 0, 0, 0, 0 }, "legacy")]
    public async Task What_is_not_an_LZ4_frame_is_refused(byte[] body, string words) => Assert.Contains(words, await Refused(body));

    [Theory]
    [InlineData(0xA0, 0x40, "version")]      // version 10
    [InlineData(0x62, 0x40, "reserved")]     // FLG bit 1
    [InlineData(0x60, 0xC0, "reserved")]     // BD bit 7
    [InlineData(0x60, 0x41, "reserved")]     // BD bit 0
    [InlineData(0x60, 0x30, "maximum size")] // block size id 3
    [InlineData(0x61, 0x40, "dictionary")]   // a dictionary id
    public async Task A_descriptor_the_format_does_not_allow_is_refused(int flg, int bd, string words)
    {
        var frame = Header((byte)flg, (byte)bd, dictionaryId: (flg & 1) != 0 ? 7u : null).Concat(new byte[4]).ToArray();
        Assert.Contains(words, await Refused(frame));
    }

    [Fact]
    public async Task A_block_larger_than_the_frame_allows_is_refused()
    {
        var frame = Header(0x60, 0x40).Concat(BitConverter.GetBytes(65537u | 0x80000000u)).Concat(new byte[65537]).Concat(new byte[4]).ToArray();
        Assert.Contains("more than the frame's maximum", await Refused(frame));
    }

    [Fact]
    public async Task The_content_size_in_the_descriptor_is_checked()
    {
        byte[] Frame(ulong size) => Header(0x68, 0x40, contentSize: size).Concat(BitConverter.GetBytes(3u | 0x80000000u)).Concat(new byte[] { 1, 2, 3 }).Concat(new byte[4]).ToArray();
        Assert.Equal(new byte[] { 1, 2, 3 }, (await Decode(Frame(3))).Output);
        Assert.Contains("says its content is 4 bytes, but 3 were decoded", await Refused(Frame(4)));
    }

    [Fact]
    public void A_frame_that_decodes_to_more_than_its_content_size_is_refused_before_the_excess_is_written()
    {
        // A server that says 3 bytes and sends more must not fill the disk before the end mark is reached:
        // the block that goes beyond the content size is refused, and nothing of it is written.
        var frame = Header(0x68, 0x40, contentSize: 3).Concat(BitConverter.GetBytes(5u | 0x80000000u)).Concat(new byte[] { 1, 2, 3, 4, 5 })
            .Concat(BitConverter.GetBytes(65536u | 0x80000000u)).Concat(new byte[65536]).Concat(new byte[4]).ToArray();
        var output = new MemoryStream();
        var error = Assert.Throws<InvalidDataException>(() => new Lz4FrameReader(new TrickleStream(frame, 0, 100_000), output).Copy());
        Assert.Contains("says its content is 3 bytes, but block 0 brings it to 5", error.Message);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task A_content_size_beyond_what_a_long_holds_is_named_as_sent()
    {
        // 2^64-1 as a long would be -1: the message must carry the number the frame holds.
        var frame = Header(0x68, 0x40, contentSize: ulong.MaxValue).Concat(BitConverter.GetBytes(3u | 0x80000000u)).Concat(new byte[] { 1, 2, 3 }).Concat(new byte[4]).ToArray();
        Assert.Contains("says its content is 18446744073709551615 bytes, but 3 were decoded", await Refused(frame));
    }

    [Fact]
    public async Task A_compressed_block_that_decodes_to_more_than_the_block_maximum_is_refused()
    {
        // Valid LZ4 (one block of 64 KiB + 1 zero bytes, a few hundred bytes compressed) in a frame whose blocks hold 64 KiB at most.
        var content = new byte[65537];
        var compressed = new byte[LZ4Codec.MaximumOutputSize(content.Length)];
        var length = LZ4Codec.Encode(content, 0, content.Length, compressed, 0, compressed.Length);
        Assert.True(length > 0 && length < 65536, "the block is compressed");
        var frame = Header(0x60, 0x40).Concat(BitConverter.GetBytes((uint)length)).Concat(compressed.Take(length)).Concat(new byte[4]).ToArray();
        Assert.Contains("block 0 is not valid LZ4 data", await Refused(frame));
    }

    [Fact]
    public async Task Linked_blocks_shorter_than_the_window_decode_with_the_last_64_KiB_as_their_dictionary()
    {
        // Blocks of 10 KiB to 40 KiB (smaller than the 64 KiB window, so the window is shifted and topped up), each
        // compressed by K4os's chaining encoder against what came before, as in a linked frame: matches reach back
        // across several blocks.
        var content = Content(600_000, compressible: true, seed: 5);
        var frame = new List<byte>(Header(0x44, 0x40)); // linked, content checksum, 64 KiB blocks
        var random = new Random(5);
        using var encoder = K4os.Compression.LZ4.Encoders.LZ4Encoder.Create(true, LZ4Level.L00_FAST, 64 * 1024, 0);
        var target = new byte[LZ4Codec.MaximumOutputSize(64 * 1024)];
        var compressedBlocks = 0;
        for (var at = 0; at < content.Length;)
        {
            var size = Math.Min(random.Next(10_000, 40_000), content.Length - at);
            Assert.Equal(size, K4os.Compression.LZ4.Encoders.LZ4EncoderExtensions.Topup(encoder, content, at, size));
            var action = K4os.Compression.LZ4.Encoders.LZ4EncoderExtensions.FlushAndEncode(encoder, target, 0, target.Length, true, out var length);
            if (action == K4os.Compression.LZ4.Encoders.EncoderAction.Encoded)
            {
                frame.AddRange(BitConverter.GetBytes((uint)length));
                compressedBlocks++;
            }
            else
            {
                frame.AddRange(BitConverter.GetBytes((uint)length | 0x80000000u));
            }
            frame.AddRange(target.Take(length));
            at += size;
        }
        Assert.True(compressedBlocks > 10, $"{compressedBlocks} blocks compressed");
        frame.AddRange(new byte[4]);
        frame.AddRange(BitConverter.GetBytes(XXH32.DigestOf(content, 0, content.Length)));

        var (output, count) = await Decode(frame.ToArray(), seed: 5, most: 9000);

        Assert.Equal(content.Length, count);
        Assert.Equal(content, output);
    }

    [Fact]
    public async Task Frames_one_after_another_and_skippable_frames_are_read_as_the_reference_decoder_does()
    {
        var first = Content(70_000, compressible: true, seed: 1);
        var second = Content(1000, compressible: false, seed: 2);
        var skippable = BitConverter.GetBytes(0x184D2A53u).Concat(BitConverter.GetBytes(5u)).Concat(new byte[] { 9, 9, 9, 9, 9 }).ToArray();
        var body = skippable.Concat(Encode(first, new LZ4EncoderSettings { ContentChecksum = true })).Concat(skippable)
            .Concat(Encode(second, new LZ4EncoderSettings { ContentChecksum = true })).ToArray();

        var (output, count) = await Decode(body, most: 9000);

        Assert.Equal(first.Concat(second).ToArray(), output);
        Assert.Equal(first.Length + second.Length, count);
    }

    [Fact]
    public async Task A_body_of_skippable_frames_only_is_refused_as_such_not_as_empty()
    {
        var skippable = BitConverter.GetBytes(0x184D2A5Fu).Concat(BitConverter.GetBytes(3u)).Concat(new byte[] { 9, 9, 9 }).ToArray();
        Assert.Contains("2 skippable frame(s) and no LZ4 frame", await Refused(skippable.Concat(skippable).ToArray()));
    }

    [Fact]
    public async Task Bytes_after_the_frame_that_are_not_a_frame_are_refused()
    {
        var frame = Encode(Content(1000, compressible: true), new LZ4EncoderSettings());
        Assert.Contains("neither a frame nor a skippable frame", await Refused(frame.Concat(new byte[] { 1, 2, 3, 4, 5 }).ToArray()));
        Assert.Contains("not a frame", await Refused(frame.Concat(new byte[] { 1, 2 }).ToArray()));
    }

    [Fact]
    public async Task Stored_blocks_go_to_the_output_straight_from_the_read_buffer_in_page_cache_sized_writes()
    {
        // The point of the reader: no copy of a stored block between the body and the file, and reads of many kilobytes.
        var content = Content(8 * 65536, compressible: false);
        var frame = Encode(content, new LZ4EncoderSettings { BlockSize = 64 * 1024, ContentChecksum = true });
        var output = new RecordingWriteStream();
        var body = new TrickleStream(frame, 1, 1 << 30);
        new Lz4FrameReader(body, output).Copy();
        await Task.CompletedTask;
        // Each 64 KiB block in two writes, 60 and 4 KiB (PageCacheWrites), and nothing else written.
        Assert.Equal(16, output.Writes.Count);
        Assert.Equal(content.Length, output.Length);
        // Each read asks for at least a block's worth, so a few more reads than blocks at most.
        Assert.True(body.Reads <= 12, $"{body.Reads} reads for 8 blocks");
    }

    [Fact]
    public void Reads_and_writes_stay_in_the_first_two_blocks_of_the_buffer_whatever_the_frame_declares()
    {
        // A Studio part declares 256 KiB blocks and sends 64 KiB ones. Reading as much as a 256 KiB block plus a
        // read-ahead would hold cycles four parts through ~1.6 MiB, out of the CPU's cache: the kernel's copies
        // into and out of that memory measured twice the kernel time per GiB (docs/PERFORMANCE.md, save-1g).
        var content = Content(16 * 65536, compressible: false);
        var frame = Encode(content, new LZ4EncoderSettings { BlockSize = 64 * 1024, ContentChecksum = true });
        frame[5] = 0x50;   // BD: 256 KiB block maximum, as Studio's parts declare
        frame[6] = (byte)((K4os.Hash.xxHash.XXH32.DigestOf(frame, 4, 2) >> 8) & 0xFF);
        var output = new RecordingWriteStream();
        var body = new TrickleStream(frame, 1, 1 << 30);
        new Lz4FrameReader(body, output).Copy();
        Assert.Equal(content.Length, output.Length);
        Assert.True(body.LargestAsk <= 2 * 65536 + 8, $"a read asked for {body.LargestAsk} bytes");
        Assert.True(body.FurthestOffset <= 2 * 65536 + 8, $"a read reached {body.FurthestOffset} bytes into the buffer");
    }

    /// <summary>Magic, FLG, BD, the optional fields and the header checksum.</summary>
    private static byte[] Header(byte flg, byte bd, ulong? contentSize = null, uint? dictionaryId = null)
    {
        var descriptor = new List<byte> { flg, bd };
        if (contentSize.HasValue) descriptor.AddRange(BitConverter.GetBytes(contentSize.Value));
        if (dictionaryId.HasValue) descriptor.AddRange(BitConverter.GetBytes(dictionaryId.Value));
        var checksum = (byte)((XXH32.DigestOf(descriptor.ToArray(), 0, descriptor.Count) >> 8) & 0xFF);
        return new byte[] { 0x04, 0x22, 0x4D, 0x18 }.Concat(descriptor).Append(checksum).ToArray();
    }
}
