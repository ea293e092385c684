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
}
