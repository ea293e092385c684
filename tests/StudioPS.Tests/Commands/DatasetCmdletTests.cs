using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Text;
using K4os.Compression.LZ4.Streams;
using StudioPS.Core.Tests.Support;
using StudioPS.Tests.Support;
using Xunit;

namespace StudioPS.Tests.Commands;

public class DatasetCmdletTests : IDisposable
{
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    private const string Dataset = """
        {"id": 1, "name": "raw", "description": null, "attrs": [], "uuid": "u",
         "project": {"id": 2, "name": "demo", "namespace": {"id": 3, "name": "@alice"}},
         "versions": [{"id": 4, "uuid": "v", "dataset_id": 1, "version": "1.0.0", "status": 4, "created_at": "2026-01-01T00:00:00Z",
                       "finished_at": "2026-01-01T00:01:00Z", "error_message": "", "num_objects": 10, "size": 100}]}
        """;

    /// <summary>Answers by path from any thread; the parts live on storage.example, another origin.</summary>
    private sealed class Router : HttpMessageHandler
    {
        private int _statusReads;
        public ConcurrentQueue<(string Url, string? Authorization)> Seen { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!;
            Seen.Enqueue((url.AbsoluteUri, request.Headers.Authorization?.ToString()));
            HttpResponseMessage response;
            if (url.AbsolutePath == "/api/datachain/datasets/info") response = Json(Dataset);
            else if (url.AbsolutePath == "/api/datachain/datasets/export")
                response = Json("""{"export_id": 9, "signed_urls": ["https://storage.example/9/0?sig=x", "https://storage.example/9/1?sig=x"]}""");
            else if (url.AbsolutePath == "/api/datachain/datasets/export-status")
            {
                var n = Interlocked.Increment(ref _statusReads);
                response = Json($$"""{"status": "{{(n >= 2 ? "completed" : "running")}}", "files_done": {{Math.Min(n, 2)}}, "num_files": 2}""");
            }
            else if (url.Host == "storage.example")
            {
                response = Volatile.Read(ref _statusReads) < 2
                    ? new HttpResponseMessage(HttpStatusCode.NotFound)
                    : new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Frame(Encoding.ASCII.GetBytes("PAR1 part " + url.Segments.Last() + " PAR1"))) };
            }
            else response = new HttpResponseMessage(HttpStatusCode.NotFound);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }

        private static HttpResponseMessage Json(string body) =>
            new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        private static byte[] Frame(byte[] content)
        {
            using var output = new MemoryStream();
            using (var encoder = LZ4Stream.Encode(output, leaveOpen: true)) encoder.Write(content, 0, content.Length);
            return output.ToArray();
        }
    }

    [Fact]
    public void Save_StudioDataset_shows_files_written_by_Studio_and_parts_saved_and_emits_the_files_without_the_token_reaching_storage()
    {
        var router = new Router();
        using var connection = InProcessShell.Connection(router);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Save-StudioDataset").AddParameter("Name", "@alice.demo.raw").AddParameter("Path", _temp.Path)
            .AddParameter("PollIntervalSec", 1).AddParameter("Connection", connection);
        var files = shell.Invoke().Select(o => Assert.IsType<FileInfo>(o.BaseObject)).ToList();

        Assert.Empty(shell.Streams.Error);
        Assert.Equal(new[] { "raw@1.0.0.00000.parquet", "raw@1.0.0.00001.parquet" }, files.Select(f => f.Name));
        Assert.Equal("PAR1 part 1 PAR1", File.ReadAllText(files[1].FullName));
        var progress = shell.Streams.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.Contains(progress, p => p.StatusDescription.Contains("Studio has written 1/2 files", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.StatusDescription.Contains("saved 2/2 parts", StringComparison.Ordinal) && p.PercentComplete == 100);
        Assert.Contains(shell.Streams.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.All(router.Seen.Where(s => s.Url.StartsWith("https://storage.example/", StringComparison.Ordinal)), s => Assert.Null(s.Authorization));
        Assert.All(router.Seen.Where(s => s.Url.StartsWith("https://studio.example/", StringComparison.Ordinal)), s => Assert.NotNull(s.Authorization));
    }

    [Fact]
    public void A_StudioDataset_from_the_pipeline_binds_to_Name_as_its_full_name()
    {
        var router = new Router();
        using var connection = InProcessShell.Connection(router);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Get-StudioDataset").AddParameter("Name", "@alice.demo.raw").AddParameter("Connection", connection)
            .AddCommand("Remove-StudioDataset").AddParameter("WhatIf").AddParameter("Connection", connection);
        shell.Invoke();
        Assert.Empty(shell.Streams.Error);
        Assert.Equal(2, router.Seen.Count(s => s.Url.Contains("datasets/info?namespace=%40alice&project=demo&name=raw", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ctrl_C_during_Save_StudioDataset_stops_it_and_leaves_nothing_it_wrote()
    {
        // Part 1 arrives whole, part 0 stalls half-way for ever: only Ctrl+C ends the command.
        var content = new byte[2 * 1024 * 1024];
        new Random(7).NextBytes(content);
        var stalling = new StallingStream(Frame(content), head: 1024 * 1024);
        var router = new Answering(request => request.RequestUri!.AbsolutePath switch
        {
            "/api/datachain/datasets/info" => Json(Dataset),
            "/api/datachain/datasets/export" => Json("""{"export_id": 9, "signed_urls": ["https://storage.example/9/0?sig=x", "https://storage.example/9/1?sig=x"]}"""),
            "/api/datachain/datasets/export-status" => Json("""{"status": "running", "files_done": 2, "num_files": 2}"""),
            "/9/0" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stalling) },
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Frame(Encoding.ASCII.GetBytes("PAR1 one PAR1"))) },
        });
        using var connection = InProcessShell.Connection(router, timeoutSec: 600);
        using var shell = InProcessShell.Create();
        var folder = Path.Combine(_temp.Path, "new-folder");
        var finalOne = Path.Combine(folder, "raw@1.0.0.00001.parquet");
        shell.AddCommand("Save-StudioDataset").AddParameter("Name", "@alice.demo.raw").AddParameter("Path", folder)
            .AddParameter("Connection", connection);
        var pending = shell.BeginInvoke();
        var waited = Stopwatch.StartNew();
        while (!(stalling.Stalled.Task.IsCompleted && File.Exists(finalOne)) && waited.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(10);
        Assert.True(stalling.Stalled.Task.IsCompleted && File.Exists(finalOne), "part 1 was not saved while part 0 stalled");

        shell.Stop();
        Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)));
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        // The download cleans up as it ends; a deadline, not a timing, for a loaded machine.
        waited.Restart();
        while (Directory.Exists(folder) && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(10);
        Assert.False(Directory.Exists(folder), $"left behind: {string.Join(", ", Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder) : Array.Empty<string>())}");
    }

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = answer(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }

    private static HttpResponseMessage Json(string body) =>
        new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static byte[] Frame(byte[] content)
    {
        using var output = new MemoryStream();
        using (var encoder = LZ4Stream.Encode(output, leaveOpen: true)) encoder.Write(content, 0, content.Length);
        return output.ToArray();
    }
}
