using StudioPS.Logs;
using Xunit;

namespace StudioPS.Core.Tests.Logs;

public class LogFrameParserTests
{
    [Fact]
    public void A_ping_carries_no_data()
    {
        var frame = LogFrameParser.Parse("{\"type\":\"ping\"}");
        Assert.True(frame.IsPing);
        Assert.False(frame.HasData);
    }

    [Fact]
    public void Logs_records_keep_their_raw_text_and_are_ordered_by_id()
    {
        var frame = LogFrameParser.Parse("{\"logs\":[{\"id\":\"3\",\"message\":\"c\\r\\n\"},{\"id\":1,\"message\":\"a\"},{\"id\":2,\"message\":\"b\\n\\n\"}]}");
        Assert.Equal(new long?[] { 1, 2, 3 }, frame.Records!.Select(r => r.Id));
        Assert.Equal(new[] { "a", "b\n\n", "c\r\n" }, frame.Records!.Select(r => r.Message));
        Assert.True(frame.HasData);
    }

    [Fact]
    public void Records_without_ids_keep_their_order()
    {
        var frame = LogFrameParser.Parse("{\"logs\":[\"z\\n\",\"a\\n\"]}");
        Assert.Equal(new[] { "z\n", "a\n" }, frame.Records!.Select(r => r.Message));
        Assert.All(frame.Records!, r => Assert.Null(r.Id));
    }

    [Fact]
    public void Log_blobs_job_and_note_are_read()
    {
        Assert.Equal(new[] { "https://b/1", "https://b/2" }, LogFrameParser.Parse("{\"log_blobs\":[\"https://b/1\",7,\"https://b/2\"]}").Blobs);
        Assert.Equal("RUNNING", LogFrameParser.Parse("{\"job\":{\"id\":\"j\",\"status\":\"RUNNING\"}}").Job!.Status);
        Assert.Equal("Job ID is incorrect or not found", LogFrameParser.Parse("{\"message\":\"Job ID is incorrect or not found\"}").Note);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"job\":{\"status\":[1]}}")]
    public void Frames_that_are_not_understood_read_as_empty(string text)
    {
        var frame = LogFrameParser.Parse(text);
        Assert.Null(frame.Records);
        Assert.Null(frame.Job);
        Assert.False(frame.IsPing);
    }

    [Fact]
    public void Records_the_caller_has_seen_are_left_out_and_the_rest_read_from_utf8()
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes("{\"logs\":[{\"id\":4,\"message\":\"d\\n\"},{\"id\":1,\"message\":\"a\"},{\"id\":3,\"message\":\"\u00e9\\r\\n\"},{\"id\":2,\"message\":\"b\"}]}");
        var asked = new List<long>();
        var frame = LogFrameParser.Parse(utf8, id => { asked.Add(id); return id <= 2; });
        Assert.Equal(new long[] { 4, 1, 3, 2 }, asked);
        Assert.Equal(new long?[] { 3, 4 }, frame.Records!.Select(r => r.Id));
        Assert.Equal(new[] { "\u00e9\r\n", "d\n" }, frame.Records!.Select(r => r.Message));
        Assert.True(frame.HasData);
    }
}
