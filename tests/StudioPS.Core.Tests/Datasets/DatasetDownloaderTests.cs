using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Text;
using K4os.Compression.LZ4.Streams;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Datasets;
using StudioPS.Http;
using StudioPS.Session;
using Xunit;

namespace StudioPS.Core.Tests.Datasets;

public class DatasetDownloaderTests : IDisposable
{
    private const string Token = "isat_DownloaderTestToken0123456789abcdef";
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    /// <summary>Answers by URL, from any thread; records every request with its Authorization header.</summary>
    private sealed class Router : HttpMessageHandler
    {
        public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);
        public ConcurrentQueue<(string Url, string? Authorization)> Seen { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Enqueue((request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString()));
            var response = Answer(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }

    private static StudioConnection Connect(Router router)
    {
        var settings = new ResolvedSettings
        {
            Token = Token, TokenSource = SettingSource.Parameter, Team = "t1", TeamSource = SettingSource.Parameter,
            BaseUri = new Uri("https://studio.example"),
        };
        return new StudioConnection(settings, new StudioConnectionOptions { TimeoutSec = 30, MaxRetries = 0, UserAgent = "StudioPS/test", PrimaryHandler = router });
    }

    private static byte[] Frame(byte[] content)
    {
        using var output = new MemoryStream();
        using (var encoder = LZ4Stream.Encode(output, leaveOpen: true)) encoder.Write(content, 0, content.Length);
        return output.ToArray();
    }

    private static byte[] Parquet(int index, int size)
    {
        var bytes = new byte[size];
        new Random(index).NextBytes(bytes);
        Encoding.ASCII.GetBytes("PAR1").CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes("PAR1").CopyTo(bytes, size - 4);
        return bytes;
    }

    private static HttpResponseMessage Json(string body) =>
        new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Bytes(byte[] body) =>
        new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };

    private DatasetDownloadRequest Request(string folder, bool raw = false) => new DatasetDownloadRequest
    {
        Team = "t1", Namespace = "@a", Project = "p", Name = "raw", Version = "1.0.0", Folder = folder, Raw = raw,
        StatusInterval = TimeSpan.FromMilliseconds(20), PartRetryDelay = TimeSpan.FromMilliseconds(10),
    };

    /// <summary>An export of <paramref name="parts"/> parts on parts.example; each part answers 404 until the status has been read <paramref name="readsBeforeWritten"/> times.</summary>
    private static (Router Router, byte[][] Contents) Export(int parts, int readsBeforeWritten, string status = "completed", Func<int, byte[]>? sent = null)
    {
        var contents = Enumerable.Range(0, parts).Select(i => Parquet(i, 100_000 + i)).ToArray();
        var router = new Router();
        var statusReads = 0;
        router.Answer = request =>
        {
            var url = request.RequestUri!;
            if (url.AbsolutePath == "/api/datachain/datasets/export")
                return Json("{\"export_id\": 5, \"signed_urls\": [" + string.Join(",", Enumerable.Range(0, parts).Select(i => $"\"https://parts.example/e5/{i}.lz4?sig=s3cr3t\"")) + "]}");
            if (url.AbsolutePath == "/api/datachain/datasets/export-status")
            {
                var n = Interlocked.Increment(ref statusReads);
                var done = n >= readsBeforeWritten;
                return Json($"{{\"status\": \"{(done ? status : "running")}\", \"files_done\": {(done ? parts : 0)}, \"num_files\": {parts}}}");
            }
            if (url.Host == "parts.example")
            {
                if (Volatile.Read(ref statusReads) < readsBeforeWritten) return new HttpResponseMessage(HttpStatusCode.NotFound);
                var index = int.Parse(url.Segments.Last().Split('.')[0]);
                return Bytes(sent?.Invoke(index) ?? Frame(contents[index]));
            }
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        };
        return (router, contents);
    }

    [Fact]
    public async Task Parts_that_answer_404_are_fetched_again_until_written_saved_decompressed_and_never_sent_the_token()
    {
        var (router, contents) = Export(parts: 5, readsBeforeWritten: 2);
        using var connection = Connect(router);
        var folder = Path.Combine(_temp.Path, "out");
        var progress = new ConcurrentQueue<DatasetDownloadProgress>();
        var downloader = new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance);

        var files = await downloader.DownloadAsync(Request(folder), progress.Enqueue, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => Path.Combine(folder, $"raw@1.0.0.{i:D5}.parquet")), files);
        for (var i = 0; i < 5; i++) Assert.Equal(contents[i], File.ReadAllBytes(files[i]));
        Assert.Empty(Directory.GetFiles(folder, "*.part"));
        var parts = router.Seen.Where(s => s.Url.StartsWith("https://parts.example/", StringComparison.Ordinal)).ToList();
        Assert.True(parts.Count > 5, "parts not yet written were asked for again");
        Assert.All(parts, p => Assert.Null(p.Authorization));
        Assert.All(router.Seen.Where(s => s.Url.StartsWith("https://studio.example/", StringComparison.Ordinal)), s => Assert.Equal("Bearer " + Token, s.Authorization));
        Assert.Contains(progress, p => p.NumFiles == 5 && p.FilesDone == 5);
        Assert.Contains(progress, p => p.PartsSaved == 5 && p.PartsTotal == 5 && p.BytesSaved == contents.Sum(c => (long)c.Length));
    }

    [Fact]
    public async Task Raw_keeps_the_frames_as_sent()
    {
        var frames = new Dictionary<int, byte[]>();
        var (router, contents) = Export(parts: 2, readsBeforeWritten: 0, sent: i => frames[i] = Frame(Parquet(i, 100_000 + i)));
        using var connection = Connect(router);
        var files = await new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(_temp.Path, raw: true), null, CancellationToken.None);
        Assert.Equal("raw@1.0.0.00001.parquet.lz4", Path.GetFileName(files[1]));
        Assert.Equal(frames[1], File.ReadAllBytes(files[1]));
    }

    [Fact]
    public async Task A_part_already_complete_is_not_fetched_again()
    {
        var (router, contents) = Export(parts: 3, readsBeforeWritten: 0);
        using var connection = Connect(router);
        var existing = Path.Combine(_temp.Path, "raw@1.0.0.00001.parquet");
        File.WriteAllText(existing, "kept");
        var files = await new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(_temp.Path), null, CancellationToken.None);
        Assert.Equal(3, files.Count);
        Assert.Equal("kept", File.ReadAllText(existing));
        Assert.DoesNotContain(router.Seen, s => s.Url.StartsWith("https://parts.example/e5/1.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("failed", "failed on Studio")]
    [InlineData("removed", "was removed on Studio")]
    public async Task A_failed_or_removed_export_is_an_error_and_leaves_nothing_this_run_wrote(string status, string words)
    {
        var (router, _) = Export(parts: 3, readsBeforeWritten: int.MaxValue);
        router.Answer = Wrap(router.Answer, request => request.RequestUri!.AbsolutePath.EndsWith("export-status", StringComparison.Ordinal)
            ? Json($"{{\"status\": \"{status}\", \"files_done\": 1, \"num_files\": 3, \"error_message\": \"disk full\"}}")
            : null);
        using var connection = Connect(router);
        var folder = Path.Combine(_temp.Path, "new-folder");
        var error = await Assert.ThrowsAsync<StudioApiException>(() => new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(folder), null, CancellationToken.None));
        Assert.Equal(StudioErrorKind.OperationFailed, error.Kind);
        Assert.Contains(words, error.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_part_that_is_not_an_LZ4_frame_is_an_error_and_the_parts_saved_before_are_deleted()
    {
        var (router, _) = Export(parts: 3, readsBeforeWritten: 0, sent: i => i == 2 ? Encoding.ASCII.GetBytes("<html>not a frame</html>") : Frame(Parquet(i, 1000)));
        using var connection = Connect(router);
        var before = Path.Combine(_temp.Path, "mine.txt");
        File.WriteAllText(before, "mine");
        var request = Request(_temp.Path);
        request.MaxParallel = 1;
        var error = await Assert.ThrowsAsync<StudioApiException>(() => new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(request, null, CancellationToken.None));
        Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("not a whole LZ4 frame", error.Message);
        Assert.Equal(new[] { "mine.txt" }, Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_path_that_is_a_file_is_refused_before_the_export_starts()
    {
        var router = new Router();
        using var connection = Connect(router);
        var file = _temp.Write("a-file", "x");
        await Assert.ThrowsAsync<IOException>(() => new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(file), null, CancellationToken.None));
        Assert.Empty(router.Seen);
    }

    [Fact]
    public async Task The_foreign_client_strips_an_Authorization_header_put_on_by_hand()
    {
        var router = new Router { Answer = _ => new HttpResponseMessage(HttpStatusCode.OK) };
        using var client = ForeignOriginHttp.Create(TimeSpan.FromSeconds(5), 0, "ua", router);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://parts.example/x");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        request.Headers.Add("Cookie", "session=1");
        using var response = await client.SendAsync(request);
        var seen = Assert.Single(router.Seen);
        Assert.Null(seen.Authorization);
    }

    private static Func<HttpRequestMessage, HttpResponseMessage> Wrap(Func<HttpRequestMessage, HttpResponseMessage> inner, Func<HttpRequestMessage, HttpResponseMessage?> first) =>
        request => first(request) ?? inner(request);
}
