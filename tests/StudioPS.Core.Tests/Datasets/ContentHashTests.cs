using K4os.Hash.xxHash;
using StudioPS.Datasets;
using Xunit;

namespace StudioPS.Core.Tests.Datasets;

public class ContentHashTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(15, 7)]
    [InlineData(16, 16)]
    [InlineData(17, 5)]
    [InlineData(1000, 1)]
    [InlineData(1000, 3)]
    [InlineData(65_536 + 11, 65_536)]
    [InlineData(300_001, 4099)]
    public void It_is_xxHash32_whatever_the_pieces_it_is_given_in(int length, int piece)
    {
        var data = new byte[length + 20];
        new Random(length).NextBytes(data);
        var hash = new ContentHash();
        // From offset 7: pieces that start and end anywhere inside the 16-byte stripes.
        for (var at = 0; at < length; at += piece) hash.Update(data, 7 + at, Math.Min(piece, length - at));
        Assert.Equal(XXH32.DigestOf(data, 7, length), hash.Digest());
    }

    [Fact]
    public void A_range_outside_the_array_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContentHash().Update(new byte[16], 8, 9));
    }
}
