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

    private static StudioConnection Connect(Router router, int timeoutSec = 30)
    {
        var settings = new ResolvedSettings
        {
            Token = Token, TokenSource = SettingSource.Parameter, Team = "t1", TeamSource = SettingSource.Parameter,
            BaseUri = new Uri("https://studio.example"),
        };
        return new StudioConnection(settings, new StudioConnectionOptions { TimeoutSec = timeoutSec, MaxRetries = 0, UserAgent = "StudioPS/test", PrimaryHandler = router });
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

    /// <summary>
    /// An export of <paramref name="parts"/> parts on parts.example; each part answers 404 until the status has been read
    /// <paramref name="readsBeforeWritten"/> times and, when that is more than 0, to its own first request as well, so
    /// every part is asked for again however late the first requests come on a loaded machine.
    /// </summary>
    private static (Router Router, byte[][] Contents) Export(int parts, int readsBeforeWritten, string status = "completed", Func<int, byte[]>? sent = null)
    {
        var contents = Enumerable.Range(0, parts).Select(i => Parquet(i, 100_000 + i)).ToArray();
        var router = new Router();
        var statusReads = 0;
        var partRequests = new int[parts];
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
                var index = int.Parse(url.Segments.Last().Split('.')[0]);
                var firstRequest = Interlocked.Increment(ref partRequests[index]) == 1;
                if (Volatile.Read(ref statusReads) < readsBeforeWritten || (readsBeforeWritten > 0 && firstRequest))
                    return new HttpResponseMessage(HttpStatusCode.NotFound);
                return Bytes(sent?.Invoke(index) ?? Frame(contents[index]));
            }
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        };
        return (router, contents);
    }

    /// <summary>A completed export on parts.example whose part i answers with <paramref name="bodies"/>[i], read as it is sent.</summary>
    private static Router Streamed(params Stream[] bodies) => new Router
    {
        Answer = request => request.RequestUri!.AbsolutePath switch
        {
            "/api/datachain/datasets/export" => Json("{\"export_id\": 5, \"signed_urls\": [" + string.Join(",", bodies.Select((_, i) => $"\"https://parts.example/e5/{i}.lz4\"")) + "]}"),
            "/api/datachain/datasets/export-status" => Json($"{{\"status\": \"completed\", \"files_done\": {bodies.Length}, \"num_files\": {bodies.Length}}}"),
            var path => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(bodies[int.Parse(path.Split('/').Last().Split('.')[0])]) },
        },
    };

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
        // Each part answered 404 at first (Export): that every one was saved shows each was asked for again.
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
        // Two folders that were not there: the run made both, and removes both.
        var folder = Path.Combine(_temp.Path, "new-folder", "deeper");
        var error = await Assert.ThrowsAsync<StudioApiException>(() => new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(folder), null, CancellationToken.None));
        Assert.Equal(StudioErrorKind.OperationFailed, error.Kind);
        Assert.Contains(words, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
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
    public async Task A_part_whose_content_checksum_does_not_match_is_an_error_and_nothing_is_kept()
    {
        // The frame reader checks the frame's content checksum (xxHash32 of the whole part): a part changed on
        // the way is refused, not saved.
        byte[] Damaged(int i)
        {
            using var output = new MemoryStream();
            var content = Parquet(i, 200_000);
            using (var encoder = LZ4Stream.Encode(output, new LZ4EncoderSettings { ContentChecksum = true }, leaveOpen: true)) encoder.Write(content, 0, content.Length);
            var frame = output.ToArray();
            frame[^1] ^= 0xFF;
            return frame;
        }
        var (router, _) = Export(parts: 2, readsBeforeWritten: 0, sent: i => i == 1 ? Damaged(i) : Frame(Parquet(i, 1000)));
        using var connection = Connect(router);
        var request = Request(_temp.Path);
        request.MaxParallel = 1;
        var error = await Assert.ThrowsAsync<StudioApiException>(() => new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(request, null, CancellationToken.None));
        Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("Part 1", error.Message);
        Assert.Contains("checksum", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task A_path_that_is_a_file_is_refused_before_the_export_starts()
    {
        var router = new Router();
        using var connection = Connect(router);
        var file = _temp.Write("a-file", "x");
        await Assert.ThrowsAsync<IOException>(() => new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(file), null, CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(Path.Combine(file, "under")), null, CancellationToken.None));
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

    private static async Task Within(Task task, string what)
    {
        // A deadline, not a timing: without the behaviour under test the task never ends.
        if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(60))) != task) Assert.Fail(what);
    }

    [Fact]
    public async Task A_part_streams_into_its_part_file_before_the_rest_of_it_has_arrived()
    {
        var content = Parquet(0, 6 * 1024 * 1024);
        var stalling = new StallingStream(Frame(content), head: 4 * 1024 * 1024);
        var router = Streamed(stalling);
        using var connection = Connect(router, timeoutSec: 600);
        var download = new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(_temp.Path), null, CancellationToken.None);
        await Within(stalling.Stalled.Task, "the part's body was never read up to its stall");
        var partFile = new FileInfo(Path.Combine(_temp.Path, "raw@1.0.0.00000.parquet.part"));
        // The head is on disk while the body is still open: nothing holds the whole part in memory first.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(partFile.Exists && partFile.Length >= 1024 * 1024) && waited.Elapsed < TimeSpan.FromSeconds(60)) { await Task.Delay(20); partFile.Refresh(); }
        Assert.True(partFile.Exists && partFile.Length >= 1024 * 1024, $"{partFile.Name} holds {(partFile.Exists ? partFile.Length : -1)} bytes while the part is stalled");
        Assert.False(download.IsCompleted);

        stalling.Release();
        var files = await download;
        Assert.Equal(content, File.ReadAllBytes(files[0]));
        Assert.False(File.Exists(partFile.FullName));
    }

    [Fact]
    public async Task Cancelling_stops_at_once_and_deletes_every_file_this_run_wrote_and_the_folder_it_made()
    {
        // Part 1 arrives whole; part 0 stalls half-way, so both a final file and a .part file exist when the user stops.
        var stalling = new StallingStream(Frame(Parquet(0, 2 * 1024 * 1024)), head: 1024 * 1024);
        var router = new Router
        {
            Answer = request => request.RequestUri!.AbsolutePath switch
            {
                "/api/datachain/datasets/export" => Json("{\"export_id\": 5, \"signed_urls\": [\"https://parts.example/e5/0.lz4\", \"https://parts.example/e5/1.lz4\"]}"),
                "/api/datachain/datasets/export-status" => Json("{\"status\": \"running\", \"files_done\": 2, \"num_files\": 2}"),
                "/e5/0.lz4" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stalling) },
                _ => Bytes(Frame(Parquet(1, 1000))),
            },
        };
        using var connection = Connect(router, timeoutSec: 600);
        var folder = Path.Combine(_temp.Path, "new-folder");
        var saved = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var download = new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(folder), p => { if (p.PartsSaved == 1) saved.TrySetResult(true); }, stop.Token);
        await Within(Task.WhenAll(stalling.Stalled.Task, saved.Task), "part 1 was not saved while part 0 stalled");
        Assert.True(File.Exists(Path.Combine(folder, "raw@1.0.0.00001.parquet")));
        Assert.True(File.Exists(Path.Combine(folder, "raw@1.0.0.00000.parquet.part")));

        stop.Cancel();
        await Within(download.ContinueWith(_ => { }, TaskScheduler.Default), "the download went on after it was cancelled");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_part_that_fails_ends_the_download_at_once_instead_of_waiting_for_the_others()
    {
        // Part 0 would stall for ever; part 1 is refused by storage. The refusal is the answer, now.
        var stalling = new StallingStream(Frame(Parquet(0, 2 * 1024 * 1024)), head: 1024 * 1024);
        var router = new Router
        {
            Answer = request => request.RequestUri!.AbsolutePath switch
            {
                "/api/datachain/datasets/export" => Json("{\"export_id\": 5, \"signed_urls\": [\"https://parts.example/e5/0.lz4\", \"https://parts.example/e5/1.lz4\"]}"),
                "/api/datachain/datasets/export-status" => Json("{\"status\": \"running\", \"files_done\": 2, \"num_files\": 2}"),
                "/e5/0.lz4" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stalling) },
                _ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("<Error><Code>AccessDenied</Code></Error>") },
            },
        };
        using var connection = Connect(router, timeoutSec: 600);
        var download = new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(_temp.Path), null, CancellationToken.None);
        await Within(download.ContinueWith(_ => { }, TaskScheduler.Default), "a failed part did not stop the part still downloading");
        var error = await Assert.ThrowsAsync<StudioApiException>(() => download);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("Part 1", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task Parts_download_a_few_at_a_time()
    {
        // Each of three parts stalls until released: one at a time, the second would never be asked for.
        var contents = Enumerable.Range(0, 3).Select(i => Parquet(i, 300_000)).ToArray();
        var bodies = contents.Select(c => new StallingStream(Frame(c), head: 1000)).ToArray();
        var router = Streamed(bodies);
        using var connection = Connect(router, timeoutSec: 600);
        var request = Request(_temp.Path);
        request.MaxParallel = 3;
        var download = new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance).DownloadAsync(request, null, CancellationToken.None);
        await Within(Task.WhenAll(bodies.Select(b => b.Stalled.Task)), "the parts were not fetched at the same time");
        foreach (var body in bodies) body.Release();
        var files = await download;
        for (var i = 0; i < 3; i++) Assert.Equal(contents[i], File.ReadAllBytes(files[i]));
    }
    [Fact]
    public async Task The_copy_loop_writes_every_byte_of_a_body_many_times_its_buffer_through_a_file_that_grows_as_it_goes()
    {
        var content = Parquet(7, 5 * 64 * 1024 + 123);
        var path = Path.Combine(_temp.Path, "copy.bin");
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1))
        {
            var stalling = new StallingStream(content, head: 3 * 64 * 1024);
            var copy = Task.Factory.StartNew(() => DatasetDownloader.Copy(stalling, file), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await Within(stalling.Stalled.Task, "the body was never read up to its stall");
            // Written as read, not held back in a buffer: the head is in the file while the body stalls.
            Assert.Equal(3 * 64 * 1024, new FileInfo(path).Length);
            stalling.Release();
            Assert.Equal(content.Length, await copy);
        }
        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task A_blocking_read_that_waits_ends_at_once_when_cancelled_because_the_body_is_closed()
    {
        var path = Path.Combine(_temp.Path, "copy.bin");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1);
        var stalling = new StallingStream(Parquet(8, 300_000), head: 100_000);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stalling) };
        using var cancel = new CancellationTokenSource();
        using var body = new WatchedBody(await response.Content.ReadAsStreamAsync(), response, Timeout.InfiniteTimeSpan, cancel.Token);
        var copy = Task.Factory.StartNew(() => DatasetDownloader.Copy(body, file), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Within(stalling.Stalled.Task, "the body was never read up to its stall");
        cancel.Cancel();
        await Within(copy.ContinueWith(_ => { }, TaskScheduler.Default), "the copy did not stop when cancelled");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => copy);
        Assert.Equal(100_000, new FileInfo(path).Length);
    }

    [Fact]
    public async Task A_blocking_read_that_waits_longer_than_the_idle_time_out_fails_as_a_stall()
    {
        // The body stalls for ever: only the watchdog can end the read.
        var stalling = new StallingStream(Parquet(9, 300_000), head: 100_000);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stalling) };
        using var body = new WatchedBody(await response.Content.ReadAsStreamAsync(), response, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        var copy = Task.Factory.StartNew(() => DatasetDownloader.Copy(body, Stream.Null), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Within(copy.ContinueWith(_ => { }, TaskScheduler.Default), "a stalled body was read for ever");
        var error = await Assert.ThrowsAsync<IOException>(() => copy);
        Assert.Contains("stalled for more than 0.2 s", error.Message);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    // For the watchdog tests on the test's own clock: a time-out whose real timer checks only once an hour, so only
    // the test's Check runs, and that time-out in the clock's ticks.
    private static readonly TimeSpan ClockIdle = TimeSpan.FromDays(1);
    private static readonly long ClockIdleTicks = (long)(ClockIdle.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

    [Fact]
    public void Time_spent_between_reads_writing_what_was_read_is_not_a_stall()
    {
        // The test's own clock and watchdog rounds: a real timer would also measure how the machine was loaded.
        long time = 1_000;
        using var inner = new MemoryStream(new byte[3000]);
        using var body = new WatchedBody(inner, inner, ClockIdle, CancellationToken.None, () => time);
        var buffer = new byte[1000];
        Assert.Equal(1000, body.Read(buffer, 0, 1000));
        // A slow disk, for five idle time-outs, with the watchdog's rounds in between: it times reads, not the gaps.
        for (var round = 0; round < 5; round++)
        {
            time += ClockIdleTicks;
            body.Check();
        }
        Assert.True(inner.CanRead, "the body was closed while no read was waiting");
        Assert.Equal(1000, body.Read(buffer, 0, 1000));
    }

    /// <summary>
    /// A body that sends its head, then waits; closed under a waiting read, the read returns 0 (the end of the body)
    /// instead of failing, as some streams do: what was read must not pass for the whole body.
    /// </summary>
    private sealed class EndsWhenClosed : ReadOnlyStream
    {
        private readonly ManualResetEventSlim _closed = new(false);
        private bool _headSent;
        public TaskCompletionSource<bool> Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_headSent)
            {
                _headSent = true;
                buffer[offset] = 42;
                return 1;
            }
            Waiting.TrySetResult(true);
            _closed.Wait();
            return 0;
        }
        protected override void Dispose(bool disposing)
        {
            _closed.Set();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task A_read_that_ends_the_body_because_it_was_closed_on_cancel_is_a_cancellation_not_the_end_of_the_body()
    {
        var inner = new EndsWhenClosed();
        using var cancel = new CancellationTokenSource();
        using var body = new WatchedBody(inner, inner, Timeout.InfiniteTimeSpan, cancel.Token);
        var copy = Task.Factory.StartNew(() => DatasetDownloader.Copy(body, Stream.Null), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Within(inner.Waiting.Task, "the body was never read up to its wait");
        cancel.Cancel();
        await Within(copy.ContinueWith(_ => { }, TaskScheduler.Default), "the copy did not stop when cancelled");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => copy);
    }

    [Fact]
    public async Task A_read_that_ends_the_body_because_it_was_closed_on_a_stall_is_a_stall_not_the_end_of_the_body()
    {
        var inner = new EndsWhenClosed();
        using var body = new WatchedBody(inner, inner, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        var copy = Task.Factory.StartNew(() => DatasetDownloader.Copy(body, Stream.Null), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Within(copy.ContinueWith(_ => { }, TaskScheduler.Default), "a stalled body was read for ever");
        var error = await Assert.ThrowsAsync<IOException>(() => copy);
        Assert.Contains("stalled for more than 0.2 s", error.Message);
    }

    /// <summary>Two reads: the first waits for <see cref="ReleaseFirst"/> and gives one byte; the second waits until released (the end) or closed.</summary>
    private sealed class TwoReads : ReadOnlyStream
    {
        private readonly ManualResetEventSlim _first = new(false);
        private readonly ManualResetEventSlim _second = new(false);
        private int _reads;
        public ManualResetEventSlim FirstStarted { get; } = new(false);
        public ManualResetEventSlim SecondStarted { get; } = new(false);
        public bool Closed { get; private set; }
        public void ReleaseFirst() => _first.Set();
        public void ReleaseSecond() => _second.Set();
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (++_reads == 1)
            {
                FirstStarted.Set();
                _first.Wait();
                buffer[offset] = 1;
                return 1;
            }
            SecondStarted.Set();
            _second.Wait();
            return 0;
        }
        protected override void Dispose(bool disposing)
        {
            Closed = true;
            _second.Set();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task A_read_that_began_after_the_watchdog_read_its_clock_is_not_closed_as_a_stall()
    {
        // The watchdog is delayed (a loaded machine) for a whole idle time-out just as it reads the clock; meanwhile
        // the read it would measure ends and the next begins. The new read has waited no time at all.
        const long firstRead = 1_000;
        var secondRead = firstRead + ClockIdleTicks + 5;
        long time = firstRead;
        var watchdogThread = -1;
        var inner = new TwoReads();
        long Clock()
        {
            if (Environment.CurrentManagedThreadId != Volatile.Read(ref watchdogThread)) return Interlocked.Read(ref time);
            Interlocked.Exchange(ref time, secondRead);
            inner.ReleaseFirst();
            Assert.True(inner.SecondStarted.Wait(TimeSpan.FromSeconds(60)), "the second read did not begin");
            return secondRead + 5;
        }
        using var body = new WatchedBody(inner, inner, ClockIdle, CancellationToken.None, Clock);
        var copy = Task.Factory.StartNew(() => DatasetDownloader.Copy(body, Stream.Null), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(inner.FirstStarted.Wait(TimeSpan.FromSeconds(60)), "the first read did not begin");

        Volatile.Write(ref watchdogThread, Environment.CurrentManagedThreadId);
        body.Check();

        Assert.False(inner.Closed, "the watchdog closed a read that had just begun");
        inner.ReleaseSecond();
        await Within(copy.ContinueWith(_ => { }, TaskScheduler.Default), "the copy did not end");
        Assert.Equal(1, await copy);
    }

    [Fact]
    public void An_idle_time_out_longer_than_a_timer_can_wait_is_taken_and_does_not_end_a_read()
    {
        // StudioConnectionOptions.TimeoutSec is any int in Core's public API: int.MaxValue seconds (68 years) is a
        // time-out a .NET caller may give. A quarter of it is more than System.Threading.Timer takes (about 49.7 days).
        using var inner = new MemoryStream(new byte[3000]);
        using var body = new WatchedBody(inner, inner, TimeSpan.FromSeconds(int.MaxValue), CancellationToken.None);
        var buffer = new byte[1000];
        Assert.Equal(1000, body.Read(buffer, 0, 1000));
        Assert.True(inner.CanRead, "the body was closed");
    }

    [Fact]
    public async Task A_part_whose_body_stalls_longer_than_the_idle_time_out_is_an_error_and_nothing_is_kept()
    {
        var stalling = new StallingStream(Frame(Parquet(0, 2 * 1024 * 1024)), head: 1024 * 1024);
        var router = Streamed(stalling);
        // The connection's time-out (1 s here) is also the body's idle time-out.
        using var connection = Connect(router, timeoutSec: 1);
        var folder = Path.Combine(_temp.Path, "new-folder");
        var download = new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance)
            .DownloadAsync(Request(folder), null, CancellationToken.None);
        await Within(download.ContinueWith(_ => { }, TaskScheduler.Default), "a stalled part was read for ever");
        var error = await Assert.ThrowsAsync<StudioApiException>(() => download);
        Assert.Contains("stalled for more than 1 s", error.Message);
        // A time-out (OperationTimeout in PowerShell), not a connection that failed: the connection was never refused.
        Assert.Equal(StudioErrorKind.Timeout, error.Kind);
        Assert.Contains("timed out", error.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Each_part_is_read_with_blocking_reads_on_a_thread_of_its_own()
    {
        var content = Parquet(0, 3 * 1024 * 1024);
        var bodies = new[] { new StallingStream(Frame(content), head: 1000), new StallingStream(Frame(content), head: 1000) };
        var router = Streamed(bodies);
        using var connection = Connect(router, timeoutSec: 600);
        var download = new DatasetDownloader(connection.Client, connection.ForeignHttp, NullTrace.Instance).DownloadAsync(Request(_temp.Path), null, CancellationToken.None);
        await Within(Task.WhenAll(bodies.Select(b => b.Stalled.Task)), "the parts were not read up to their stall");
        foreach (var body in bodies) body.Release();
        var files = await download;
        Assert.Equal(content, File.ReadAllBytes(files[0]));
        // StallingStream's ReadAsync would count no blocking reads; its Read notes the pool threads it ran on.
        Assert.All(bodies, b => Assert.Equal(0, b.PoolThreadReads));
        Assert.All(bodies, b => Assert.True(b.BlockingReads > 1, $"{b.BlockingReads} blocking reads"));
    }
}
