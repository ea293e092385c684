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
    public void Every_length_to_200_split_in_two_anywhere_and_to_64_split_in_three_anywhere_is_xxHash32()
    {
        var data = new byte[200 + 3];
        new Random(200).NextBytes(data);
        for (var length = 0; length <= 200; length++)
        {
            // Offset 3: the pieces are not aligned to anything.
            var expected = XXH32.DigestOf(data, 3, length);
            for (var split = 0; split <= length; split++)
            {
                var hash = new ContentHash();
                hash.Update(data, 3, split);
                hash.Update(data, 3 + split, length - split);
                Assert.True(expected == hash.Digest(), $"length {length} split at {split}");
            }
            if (length > 64) continue;
            for (var first = 0; first <= length; first++)
            for (var second = first; second <= length; second++)
            {
                var hash = new ContentHash();
                hash.Update(data, 3, first);
                hash.Update(data, 3 + first, second - first);
                hash.Update(data, 3 + second, length - second);
                Assert.True(expected == hash.Digest(), $"length {length} split at {first} and {second}");
            }
        }
    }

    [Fact]
    public void Pieces_of_random_sizes_including_empty_ones_give_xxHash32_of_a_megabyte()
    {
        var data = new byte[1 << 20];
        new Random(7).NextBytes(data);
        var sizes = new Random(8);
        var hash = new ContentHash();
        for (var at = 0; at < data.Length;)
        {
            var piece = Math.Min(sizes.Next(0, 100) < 10 ? 0 : sizes.Next(1, 70_000), data.Length - at);
            hash.Update(data, at, piece);
            at += piece;
        }
        Assert.Equal(XXH32.DigestOf(data, 0, data.Length), hash.Digest());
    }

    [Fact]
    public void A_range_outside_the_array_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContentHash().Update(new byte[16], 8, 9));
    }
}
