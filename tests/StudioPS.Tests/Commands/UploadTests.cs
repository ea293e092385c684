using System.Management.Automation;
using System.Net;
using StudioPS.Models;
using StudioPS.Core.Tests.Support;
using Xunit;
using StudioPS.Tests.Support;

namespace StudioPS.Tests.Commands;

public class UploadTests : IDisposable
{
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Send_StudioFile_sends_one_multipart_field_named_file_and_reports_progress_with_bytes_percent_and_rate()
    {
        var path = Path.Combine(_temp.Path, "data.bin");
        // Letters only, so the fake's text copy of the body has exactly the bytes that were sent.
        var random = new Random(5);
        var bytes = Enumerable.Range(0, 3 * 1024 * 1024 + 17).Select(_ => (byte)random.Next('a', 'z' + 1)).ToArray();
        File.WriteAllBytes(path, bytes);
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, """{"id": 42, "filename": "data.bin", "size": 3145745, "state": "ready", "error": null}""");
        using var connection = InProcessShell.Connection(fake);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Send-StudioFile").AddParameter("LiteralPath", path).AddParameter("Connection", connection);
        var file = Assert.IsType<StudioFile>(Assert.Single(shell.Invoke()).BaseObject);

        Assert.Equal(("42", "data.bin", 3145745L, "ready"), (file.Id, file.FileName, file.Size, file.State));
        var request = Assert.Single(fake.Requests);
        Assert.Equal("https://studio.example/api/datachain/jobs/files?team_name=t1", request.RequestUri!.AbsoluteUri);
        Assert.StartsWith("multipart/form-data; boundary=", request.Content!.Headers.ContentType!.ToString());
        var body = fake.Bodies[0]!;
        Assert.Contains("Content-Disposition: form-data; name=\"file\"; filename=\"data.bin\"", body);
        Assert.Contains("Content-Type: application/octet-stream", body);
        Assert.Equal(request.Content.Headers.ContentLength, body.Length);
        Assert.Contains(System.Text.Encoding.ASCII.GetString(bytes), body);

        var progress = shell.Streams.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.NotEmpty(progress);
        var last = progress.Last();
        Assert.Equal(100, last.PercentComplete);
        Assert.Matches(@"^3\.0 MiB of 3\.0 MiB \(100%\) at [0-9.]+ [KMG]?i?B/s$", last.StatusDescription);
        Assert.Contains(shell.Streams.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [Fact]
    public void An_upload_cut_off_by_the_server_is_an_error_and_is_not_sent_again()
    {
        var path = Path.Combine(_temp.Path, "x.csv");
        File.WriteAllText(path, "a,b\n1,2\n");
        var fake = new FakeHandler().Throw(new HttpRequestException("reset", new IOException("Connection reset by peer")));
        using var connection = InProcessShell.Connection(fake, retries: 3);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Send-StudioFile").AddParameter("LiteralPath", path).AddParameter("Connection", connection);
        shell.Invoke();
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("Studio.ConnectionFailed,StudioPS.Commands.SendStudioFileCommand", error.FullyQualifiedErrorId);
        Assert.Contains("may or may not have been carried out", error.ToString());
        Assert.Equal(1, fake.Calls);
    }
}
