using StudioPS.Logs;
using Xunit;

namespace StudioPS.Core.Tests.Logs;

public class LineAssemblerTests
{
    private static List<string> Assemble(params string[] chunks) => LineAssembler.SplitAll(chunks);

    [Fact]
    public void A_line_cut_across_chunks_is_joined_and_one_chunk_may_hold_several_lines() =>
        Assert.Equal(new[] { "loading", "step 1", "step 2", "done" }, Assemble("loa", "ding\nstep 1\nstep", " 2\ndone\n"));

    [Fact]
    public void CRLF_loses_its_CR_even_when_a_chunk_ends_between_the_two() =>
        Assert.Equal(new[] { "a", "b", "c" }, Assemble("a\r\nb\r", "\nc\r\n"));

    [Fact]
    public void A_blank_line_of_output_is_an_empty_string_but_a_chunk_boundary_never_makes_one() =>
        Assert.Equal(new[] { "a", "", "b" }, Assemble("a\n", "\n", "b", "\n"));

    [Fact]
    public void The_partial_last_line_is_held_until_flush()
    {
        var assembler = new LineAssembler();
        var lines = new List<string>();
        assembler.Push("one\ntw", lines);
        Assert.Equal(new[] { "one" }, lines);
        Assert.True(assembler.HasPartial);
        Assert.Equal("tw", assembler.Flush());
        Assert.Null(assembler.Flush());
    }

    [Fact]
    public void A_lone_CR_inside_a_line_is_kept() =>
        Assert.Equal(new[] { "50%\r100%" }, Assemble("50%\r100%\n"));

    [Fact]
    public void Any_cut_of_the_output_gives_the_lines_of_the_whole_text()
    {
        // LF, CRLF, blank lines and lone CRs, cut into chunks at random points (between CR and LF too).
        var random = new Random(12);
        var pieces = new[] { "row", "x", "", "\r", "50%\r1", "é€" };
        for (var round = 0; round < 500; round++)
        {
            var text = new System.Text.StringBuilder();
            var lineCount = random.Next(0, 12);
            for (var i = 0; i < lineCount; i++)
                text.Append(pieces[random.Next(pieces.Length)]).Append(random.Next(3) == 0 ? "\r\n" : "\n");
            if (random.Next(2) == 0) text.Append(pieces[random.Next(pieces.Length)]);
            var whole = text.ToString();
            var chunks = new List<string>();
            for (var at = 0; at < whole.Length;)
            {
                var length = Math.Min(whole.Length - at, random.Next(1, 6));
                chunks.Add(whole.Substring(at, length));
                at += length;
            }
            var expected = whole.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
            if (whole.EndsWith('\n') || whole.Length == 0) expected.RemoveAt(expected.Count - 1);
            Assert.Equal(expected, Assemble(chunks.ToArray()));
        }
    }
}
