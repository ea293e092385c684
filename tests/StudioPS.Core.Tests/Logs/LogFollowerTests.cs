using System.Net;
using System.Net.WebSockets;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Http;
using StudioPS.Logs;
using Xunit;

namespace StudioPS.Core.Tests.Logs;

/// <summary>A scripted websocket server: each connection is a list of frames, then a close or a drop.</summary>
internal sealed class FakeSockets : ILogSocketFactory
{
    private readonly Queue<Func<ILogSocket>> _connections = new();
    public List<Uri> Connected { get; } = new();

    public FakeSockets Connection(IEnumerable<string> frames, int? closeStatus = 1000, bool drop = false)
    {
        _connections.Enqueue(() => new Socket(new Queue<string>(frames), closeStatus, drop));
        return this;
    }

    /// <summary>A connection that opens and then delivers nothing, not even pings, until cancelled.</summary>
    public FakeSockets Silent()
    {
        _connections.Enqueue(() => new SilentSocket());
        return this;
    }

    private sealed class SilentSocket : ILogSocket
    {
        public int? CloseStatus => null;
        public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }
        public void Dispose() { }
    }

    public FakeSockets Refuse(int? status)
    {
        _connections.Enqueue(() => throw new LogHandshakeException(status, $"status {status}"));
        return this;
    }

    public Task<ILogSocket> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        Connected.Add(uri);
        if (_connections.Count == 0) throw new InvalidOperationException("no scripted connection left");
        return Task.FromResult(_connections.Dequeue()());
    }

    private sealed class Socket : ILogSocket
    {
        private readonly Queue<string> _frames;
        private readonly int? _close;
        private readonly bool _drop;

        public Socket(Queue<string> frames, int? close, bool drop)
        {
            _frames = frames;
            _close = close;
            _drop = drop;
        }

        public int? CloseStatus { get; private set; }

        public Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancellationToken)
        {
            if (_frames.Count > 0) return Task.FromResult<ReadOnlyMemory<byte>?>(System.Text.Encoding.UTF8.GetBytes(_frames.Dequeue()));
            if (_drop) throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "dropped");
            CloseStatus = _close;
            return Task.FromResult<ReadOnlyMemory<byte>?>(null);
        }

        public void Dispose() { }
    }
}

public class LogFollowerTests
{
    private static string Logs(params int[] ids) =>
        "{\"logs\":[" + string.Join(",", ids.Select(i => $"{{\"id\":{i},\"message\":\"line {i}\\n\"}}")) + "]}";

    /// <summary>A logs frame of raw chunks with the given ids; the messages are JSON-escaped here.</summary>
    private static string Chunks(params (int Id, string Message)[] records) =>
        "{\"logs\":[" + string.Join(",", records.Select(r => $"{{\"id\":{r.Id},\"message\":{System.Text.Json.JsonSerializer.Serialize(r.Message)}}}")) + "]}";

    private static string Job(string status) => $"{{\"job\":{{\"id\":\"j1\",\"status\":\"{status}\"}}}}";

    private static string JobList(string status) => $"[{{\"id\":\"j1\",\"status\":\"{status}\"}}]";

    internal const string Token = "isat_secret_token_value";

    private static (LogFollower Follower, List<LogEvent> Events) Follower(FakeSockets sockets, FakeHandler rest, int maxAttempts = 15,
        Action<LogFollowOptions>? configure = null, string api = "https://studio.example/api/", int retries = 0)
    {
        var redactor = new Redactor(Token);
        var http = StudioHttp.Create(new StudioHttpOptions
        {
            PrimaryHandler = rest,
            MaxRetries = retries,
            Token = () => Token,
            StudioOrigin = new Uri(api),
            RetryPolicy = new RetryPolicy(retries, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2)),
        }, out _);
        var client = new StudioClient(http, new Uri(api), redactor);
        var options = new LogFollowOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(1),
            MaxDelay = TimeSpan.FromMilliseconds(5),
            PollInterval = TimeSpan.FromMilliseconds(1),
            MaxAttempts = maxAttempts,
        };
        configure?.Invoke(options);
        return (new LogFollower(client, sockets, "t1", "j1", NullTrace.Instance, options), new List<LogEvent>());
    }

    private static Task<StudioPS.Models.StudioJob?> Run(LogFollower follower, List<LogEvent> events) =>
        follower.RunAsync(e => { events.Add(e); return Task.CompletedTask; }, default);

    private static IEnumerable<string?> Lines(List<LogEvent> events) => events.Where(e => e.Kind == LogEventKind.Line).Select(e => e.Message);

    [Fact]
    public async Task Lines_replayed_after_a_reconnect_are_written_once_in_order()
    {
        var sockets = new FakeSockets()
            .Connection(new[] { "{\"type\":\"ping\"}", Logs(1, 2), Logs(3) }, drop: true)
            .Connection(new[] { Logs(1, 2, 3, 4), "{\"type\":\"ping\"}", Logs(5), Job("COMPLETE") });
        var rest = new FakeHandler().Respond(HttpStatusCode.OK, JobList("RUNNING"));
        var (follower, events) = Follower(sockets, rest);
        var job = await Run(follower, events);
        Assert.Equal(new[] { "line 1", "line 2", "line 3", "line 4", "line 5" }, Lines(events));
        Assert.Equal("COMPLETE", job!.Status);
        Assert.Equal(1, follower.Reconnects);
        Assert.Equal(1, rest.Calls);
        Assert.Equal("wss://studio.example/api/logs/follow/?job_id=j1&team_name=t1", sockets.Connected[0].AbsoluteUri);
    }

    [Fact]
    public async Task Lines_within_a_frame_are_ordered_by_id()
    {
        var sockets = new FakeSockets().Connection(new[] { Logs(3, 1, 2), Job("COMPLETE") });
        var (follower, events) = Follower(sockets, new FakeHandler());
        await Run(follower, events);
        Assert.Equal(new[] { "line 1", "line 2", "line 3" }, Lines(events));
    }

    [Fact]
    public async Task A_403_handshake_fails_at_once_without_retrying()
    {
        var sockets = new FakeSockets().Refuse(403);
        var rest = new FakeHandler();
        var (follower, events) = Follower(sockets, rest);
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Run(follower, events));
        Assert.Equal(StudioErrorKind.Forbidden, error.Kind);
        Assert.Single(sockets.Connected);
        Assert.Equal(0, rest.Calls);
    }

    [Fact]
    public async Task A_4404_close_is_an_immediate_not_found_with_the_servers_message()
    {
        var sockets = new FakeSockets().Connection(new[] { "{\"message\":\"Job ID is incorrect or not found\"}" }, closeStatus: 4404);
        var (follower, events) = Follower(sockets, new FakeHandler());
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Run(follower, events));
        Assert.Equal(StudioErrorKind.NotFound, error.Kind);
        Assert.Contains("Job ID is incorrect or not found", error.Message);
        Assert.Single(sockets.Connected);
    }

    [Fact]
    public async Task When_the_job_ended_during_a_drop_one_replay_without_follow_collects_the_rest()
    {
        var sockets = new FakeSockets()
            .Connection(new[] { Logs(1) }, drop: true)
            .Connection(new[] { Logs(1, 2, 3), Job("FAILED") });
        var rest = new FakeHandler().Respond(HttpStatusCode.OK, JobList("FAILED"));
        var (follower, events) = Follower(sockets, rest);
        var job = await Run(follower, events);
        Assert.Equal(new[] { "line 1", "line 2", "line 3" }, Lines(events));
        Assert.Equal("FAILED", job!.Status);
        Assert.EndsWith("&no_follow=true", sockets.Connected[1].AbsoluteUri);
    }

    [Fact]
    public async Task A_socket_the_server_does_not_serve_falls_back_to_REST_polling_without_repeats()
    {
        var sockets = new FakeSockets().Refuse(404);
        var rest = new FakeHandler()
            .Respond(HttpStatusCode.OK, JobList("RUNNING")).Respond(HttpStatusCode.OK, "a\nb\n", "text/plain")
            .Respond(HttpStatusCode.OK, JobList("COMPLETE")).Respond(HttpStatusCode.OK, "a\nb\nc\n", "text/plain");
        var (follower, events) = Follower(sockets, rest);
        var job = await Run(follower, events);
        Assert.Equal(new[] { "a", "b", "c" }, Lines(events));
        Assert.Equal("COMPLETE", job!.Status);
        Assert.Equal(4, rest.Calls);
    }

    [Fact]
    public async Task It_gives_up_after_the_attempts_allowed_when_no_connection_brings_data()
    {
        var sockets = new FakeSockets();
        var rest = new FakeHandler();
        for (var i = 0; i < 3; i++)
        {
            sockets.Refuse(null);
            rest.Respond(HttpStatusCode.OK, JobList("RUNNING"));
        }
        var (follower, events) = Follower(sockets, rest, maxAttempts: 2);
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Run(follower, events));
        Assert.Equal(StudioErrorKind.ConnectionFailed, error.Kind);
        Assert.Equal(3, sockets.Connected.Count);
    }

    [Fact]
    public async Task A_connection_that_brings_data_resets_the_attempt_count()
    {
        var sockets = new FakeSockets();
        var rest = new FakeHandler();
        for (var i = 1; i <= 5; i++)
        {
            sockets.Connection(new[] { Logs(i) }, drop: true);
            rest.Respond(HttpStatusCode.OK, JobList("RUNNING"));
        }
        sockets.Connection(new[] { Logs(6), Job("COMPLETE") });
        var (follower, events) = Follower(sockets, rest, maxAttempts: 2);
        await Run(follower, events);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => "line " + i), Lines(events));
        Assert.Equal(5, follower.Reconnects);
    }

    private static IEnumerable<string?> Warnings(List<LogEvent> events) => events.Where(e => e.Kind == LogEventKind.Warning).Select(e => e.Message);

    [Fact]
    public async Task Raw_chunks_become_lines_across_messages_and_reconnects_and_the_last_partial_line_is_flushed_at_the_end()
    {
        var sockets = new FakeSockets()
            .Connection(new[] { Chunks((1, "loa"), (2, "ding\r\nstep 1\nst")) }, drop: true)
            .Connection(new[] { Chunks((1, "loa"), (2, "ding\r\nstep 1\nst"), (3, "ep 2\n\n")), Chunks((4, "done")), Job("COMPLETE") });
        var rest = new FakeHandler().Respond(HttpStatusCode.OK, JobList("RUNNING"));
        var (follower, events) = Follower(sockets, rest);
        await Run(follower, events);
        Assert.Equal(new[] { "loading", "step 1", "step 2", "", "done" }, Lines(events));
        // The partial line comes after the status that ended the job: it is flushed only then.
        Assert.Equal(LogEventKind.Line, events[^1].Kind);
    }

    [Fact]
    public async Task Raw_mode_emits_the_chunks_untouched_once_each()
    {
        var sockets = new FakeSockets()
            .Connection(new[] { Chunks((1, "a\r\nb"), (2, "\nc")) }, drop: true)
            .Connection(new[] { Chunks((1, "a\r\nb"), (2, "\nc"), (3, "\n")), Job("COMPLETE") });
        var rest = new FakeHandler().Respond(HttpStatusCode.OK, JobList("RUNNING"));
        var (follower, events) = Follower(sockets, rest, configure: o => o.Raw = true);
        await Run(follower, events);
        Assert.Equal(new[] { "a\r\nb", "\nc", "\n" }, events.Where(e => e.Kind == LogEventKind.Chunk).Select(e => e.Message));
        Assert.Empty(Lines(events));
    }

    [Fact]
    public async Task A_socket_silent_for_the_idle_time_counts_as_dropped_then_REST_then_reconnect()
    {
        var sockets = new FakeSockets().Silent().Connection(new[] { Logs(1), Job("COMPLETE") });
        var rest = new FakeHandler().Respond(HttpStatusCode.OK, JobList("RUNNING"));
        var (follower, events) = Follower(sockets, rest, configure: o => o.IdleTimeout = TimeSpan.FromMilliseconds(50));
        await Run(follower, events);
        Assert.Equal(new[] { "line 1" }, Lines(events));
        Assert.Equal(1, follower.Reconnects);
        Assert.Equal(1, rest.Calls);
    }

    [Fact]
    public async Task Only_the_first_log_blobs_frame_is_read_before_the_logs_that_follow_it_with_the_token_on_Studios_own_origin()
    {
        const string blob = "https://studio.example/api/datachain/jobs/j1/archived-log";
        var sockets = new FakeSockets()
            .Connection(new[] { $"{{\"log_blobs\":[\"{blob}\"]}}", Chunks((5, "live\n")) }, drop: true)
            .Connection(new[] { $"{{\"log_blobs\":[\"{blob}\"]}}", Chunks((5, "live\n"), (6, "end\n")), Job("COMPLETE") });
        var rest = new FakeHandler()
            .Respond(HttpStatusCode.OK, "old 1\r\nold", "text/plain").Respond(HttpStatusCode.OK, JobList("RUNNING"));
        var (follower, events) = Follower(sockets, rest);
        await Run(follower, events);
        // The archive's last line runs on into the first live chunk: the same output, cut anywhere.
        Assert.Equal(new[] { "old 1", "oldlive", "end" }, Lines(events));
        Assert.Equal(2, rest.Calls);
        Assert.Equal(blob, rest.Requests[0].RequestUri!.AbsoluteUri);
        Assert.Equal("Bearer " + Token, rest.AuthorizationHeaders[0]);
    }

    [Fact]
    public async Task An_archive_on_another_host_is_read_without_the_token()
    {
        var sockets = new FakeSockets().Connection(new[] { "{\"log_blobs\":[\"https://storage.example/logs/j1?X-Signature=abc\"]}", Chunks((1, "live\n")), Job("COMPLETE") });
        var rest = new FakeHandler().Respond(HttpStatusCode.OK, "archived\n", "text/plain");
        var (follower, events) = Follower(sockets, rest);
        await Run(follower, events);
        Assert.Equal(new[] { "archived", "live" }, Lines(events));
        Assert.Null(rest.AuthorizationHeaders[0]);
    }

    [Theory]
    [InlineData("https://studio.example:8443/api/x")]   // another port
    [InlineData("http://studio.example/api/x")]          // another scheme (and not https: refused outright)
    [InlineData("https://STUDIO.example.evil/api/x")]    // another host
    public async Task Any_other_origin_never_gets_the_token(string url)
    {
        var sockets = new FakeSockets().Connection(new[] { $"{{\"log_blobs\":[\"{url}\"]}}", Job("COMPLETE") });
        var rest = new FakeHandler().Respond(HttpStatusCode.OK, "x\n", "text/plain");
        var (follower, events) = Follower(sockets, rest);
        await Run(follower, events);
        Assert.DoesNotContain(rest.AuthorizationHeaders, h => h != null && h.Contains(Token));
    }

    [Fact]
    public async Task A_plain_http_archive_is_refused_with_a_warning_unless_Studio_itself_is_plain_http_loopback()
    {
        var sockets = new FakeSockets().Connection(new[] { "{\"log_blobs\":[\"http://storage.example/x\"]}", Chunks((1, "live\n")), Job("COMPLETE") });
        var rest = new FakeHandler();
        var (follower, events) = Follower(sockets, rest);
        await Run(follower, events);
        Assert.Equal(0, rest.Calls);
        Assert.Contains("only https", Assert.Single(Warnings(events)));
        Assert.Equal(new[] { "live" }, Lines(events));

        var local = new FakeSockets().Connection(new[] { "{\"log_blobs\":[\"http://localhost:5000/blobs/logs/j1?signature=s\"]}", Job("COMPLETE") });
        var localRest = new FakeHandler().Respond(HttpStatusCode.OK, "archived\n", "text/plain");
        var (loopback, localEvents) = Follower(local, localRest, api: "http://127.0.0.1:5000/api/");
        await Run(loopback, localEvents);
        Assert.Equal(new[] { "archived" }, Lines(localEvents));
        Assert.Null(localRest.AuthorizationHeaders[0]);
    }

    [Fact]
    public async Task A_failed_archive_is_retried_by_the_handler_chain_then_a_warning_and_the_follow_goes_on()
    {
        var sockets = new FakeSockets().Connection(new[] { "{\"log_blobs\":[\"https://storage.example/logs/j1?X-Signature=secret-sig\"]}", Chunks((1, "live\n")), Job("FAILED") });
        var rest = new FakeHandler().Respond(HttpStatusCode.ServiceUnavailable, "{}").Respond(HttpStatusCode.Forbidden, "<Error>denied</Error>", "application/xml");
        var (follower, events) = Follower(sockets, rest, retries: 1);
        var job = await Run(follower, events);
        Assert.Equal("FAILED", job!.Status);
        Assert.Equal(new[] { "live" }, Lines(events));
        Assert.Equal(2, rest.Calls);
        var warning = Assert.Single(Warnings(events))!;
        Assert.Contains("storage.example/logs/j1", warning);
        Assert.DoesNotContain("secret-sig", warning);
    }

    [Fact]
    public async Task An_archive_larger_than_the_bound_is_cut_off_with_a_warning()
    {
        var sockets = new FakeSockets().Connection(new[] { "{\"log_blobs\":[\"https://storage.example/big\"]}", Chunks((1, "live\n")), Job("COMPLETE") });
        var rest = new FakeHandler().Respond(HttpStatusCode.OK, new string('x', 5000) + "\n", "text/plain");
        var (follower, events) = Follower(sockets, rest, configure: o => o.MaxArchivedLogBytes = 1000);
        await Run(follower, events);
        Assert.Contains("larger than 1000 bytes", Assert.Single(Warnings(events)));
        Assert.Equal("live", Lines(events).Last());
    }

    [Fact]
    public async Task Deduplication_memory_stays_bounded_over_a_long_log_replayed_on_every_reconnect()
    {
        var sockets = new FakeSockets();
        var rest = new FakeHandler();
        const int PerConnection = 5000;
        for (var c = 1; c <= 4; c++)
        {
            var frames = Enumerable.Range(0, c * PerConnection / 1000)
                .Select(f => Chunks(Enumerable.Range(f * 1000 + 1, 1000).Select(i => (i, $"line {i}\n")).ToArray())).ToList();
            if (c == 4) frames.Add(Job("COMPLETE"));
            sockets.Connection(frames, drop: c < 4);
            if (c < 4) rest.Respond(HttpStatusCode.OK, JobList("RUNNING"));
        }
        var (follower, events) = Follower(sockets, rest);
        await Run(follower, events);
        Assert.Equal(Enumerable.Range(1, 4 * PerConnection).Select(i => "line " + i), Lines(events));
        Assert.True(follower.RememberedIds <= 4096, $"{follower.RememberedIds} ids held");
    }

    [Fact]
    public async Task The_REST_fallback_assembles_lines_across_polls()
    {
        var sockets = new FakeSockets().Refuse(404);
        var rest = new FakeHandler()
            .Respond(HttpStatusCode.OK, JobList("RUNNING")).Respond(HttpStatusCode.OK, "a\r\nb", "text/plain")
            .Respond(HttpStatusCode.OK, JobList("COMPLETE")).Respond(HttpStatusCode.OK, "a\r\nbc\nd", "text/plain");
        var (follower, events) = Follower(sockets, rest);
        await Run(follower, events);
        Assert.Equal(new[] { "a", "bc", "d" }, Lines(events));
    }

    [Fact]
    public void Backoff_doubles_from_the_base_is_capped_and_adds_jitter()
    {
        var http = new HttpClient(new FakeHandler());
        var client = new StudioClient(http, new Uri("https://s/api/"), Redactor.None);
        var follower = new LogFollower(client, new FakeSockets(), "t", "j", NullTrace.Instance, new LogFollowOptions { Random = () => 0.5 });
        // The follower's waits come from the one shared Backoff (additive jitter, the official client's 1, 2, 4 ... s).
        Assert.Equal(1.5, follower.Backoff(1).TotalSeconds, 3);
        Assert.Equal(2.5, follower.Backoff(2).TotalSeconds, 3);
        Assert.Equal(8.5, follower.Backoff(4).TotalSeconds, 3);
        Assert.Equal(60.5, follower.Backoff(15).TotalSeconds, 3);
    }

    [Fact]
    public void The_handshake_status_is_read_from_the_platforms_message()
    {
        Assert.Equal(403, WebSocketLogSocketFactory.StatusFrom("The server returned status code '403' when status code '101' was expected."));
        Assert.Null(WebSocketLogSocketFactory.StatusFrom("Unable to connect to the remote server"));
    }
}
