using StudioPS.Client;
using Xunit;

namespace StudioPS.Core.Tests.Client;

public class LogTextTests
{
    [Theory]
    [InlineData("one\ntwo\n", "text/plain")]
    [InlineData("one\r\ntwo", null)]
    [InlineData("""["one","two"]""", "application/json")]
    [InlineData("""{"logs":[{"id":1,"message":"one"},{"id":2,"message":"two"}]}""", "application/json")]
    [InlineData("""{"logs":"one\ntwo\n"}""", null)]
    public void Every_log_body_shape_gives_one_string_per_line(string body, string? mediaType) =>
        Assert.Equal(new[] { "one", "two" }, LogText.Parse(body, mediaType));

    [Fact]
    public void Text_that_only_starts_with_a_bracket_stays_text() =>
        Assert.Equal(new[] { "[INFO] started", "done" }, LogText.Parse("[INFO] started\ndone\n", "text/plain"));

    [Fact]
    public void JSON_records_that_carry_line_breaks_are_raw_chunks_joined_before_splitting() =>
        Assert.Equal(new[] { "one", "two", "three" },
            LogText.Parse("""{"logs":[{"id":1,"message":"on"},{"id":2,"message":"e\ntwo\r\nthr"},{"id":3,"message":"ee"}]}""", "application/json"));

    [Fact]
    public void Raw_chunks_of_a_text_body_are_the_text_itself() =>
        Assert.Equal(new[] { "a\r\nb" }, LogText.Chunks("a\r\nb", "text/plain"));
}
