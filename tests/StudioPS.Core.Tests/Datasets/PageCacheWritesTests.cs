using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using StudioPS.Datasets;
using StudioPS.Core.Tests.Support;
using Xunit;

namespace StudioPS.Core.Tests.Datasets;

public class PageCacheWritesTests
{
    private static byte[] Random(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0, new int[0])]
    [InlineData(1, new[] { 1 })]
    [InlineData(61_440, new[] { 61_440 })]
    [InlineData(65_536, new[] { 61_440, 4_096 })]
    [InlineData(200_000, new[] { 61_440, 61_440, 61_440, 15_680 })]
    public void A_write_is_cut_into_calls_of_at_most_60_KiB_in_order(int count, int[] calls)
    {
        var data = Random(count + 10, count);
        var file = new RecordingWriteStream();
        PageCacheWrites.Write(file, data, 7, count);
        Assert.Equal(calls, file.Writes);
        Assert.Equal(data.Skip(7).Take(count), file.ToArray());
    }

    [Theory]
    [InlineData(64 * 1024, false)]
    [InlineData(256 * 1024, false)]
    [InlineData(4 * 1024 * 1024, false)]
    [InlineData(256 * 1024, true)]
    [InlineData(4 * 1024 * 1024, true)]
    public void A_decoded_part_reaches_its_file_in_writes_of_at_most_60_KiB_whatever_its_block_size(int blockSize, bool compressible)
    {
        // Linux caches a write covering an aligned 64 KiB or more in large folios, which cost 4-5 times the kernel
        // time on a VM whose host takes back free memory (docs/PERFORMANCE.md, save-1g).
        var content = Random(5 * 1024 * 1024 + 123, blockSize);
        if (compressible) for (var i = 0; i < content.Length; i++) content[i] = (byte)('a' + i % 7);
        using var frame = new MemoryStream();
        using (var encoder = LZ4Stream.Encode(frame, new LZ4EncoderSettings { BlockSize = blockSize, ContentChecksum = true }, leaveOpen: true))
            encoder.Write(content, 0, content.Length);
        var file = new RecordingWriteStream();
        new Lz4FrameReader(new TrickleStream(frame.ToArray(), 1, 1 << 30), file).Copy();
        Assert.Equal(content, file.ToArray());
        Assert.All(file.Writes, n => Assert.InRange(n, 1, PageCacheWrites.Most));
        Assert.Equal(61_440, PageCacheWrites.Most);
    }

    [Fact]
    public void A_raw_part_reaches_its_file_in_writes_of_at_most_60_KiB_however_much_a_read_could_give()
    {
        var content = Random(3 * 1024 * 1024 + 5, 3);
        var file = new RecordingWriteStream();
        Assert.Equal(content.Length, DatasetDownloader.Copy(new TrickleStream(content, 1, 1 << 30), file));
        Assert.Equal(content, file.ToArray());
        Assert.All(file.Writes, n => Assert.InRange(n, 1, PageCacheWrites.Most));
    }
}
