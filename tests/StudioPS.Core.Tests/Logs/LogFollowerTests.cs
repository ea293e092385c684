using System.Net;
using System.Net.WebSockets;
using StudioPS.Client;
using StudioPS.Logs;
using StudioPS.Core.Tests.Support;
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

        public Task<string?> ReceiveAsync(CancellationToken cancellationToken)
        {
            if (_frames.Count > 0) return Task.FromResult<string?>(_frames.Dequeue());
            if (_drop) throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "dropped");
            CloseStatus = _close;
            return Task.FromResult<string?>(null);
        }

        public void Dispose() { }
    }
}

public class LogFollowerTests
{
    private static string Logs(params int[] ids) =>
        "{\"logs\":[" + string.Join(",", ids.Select(i => $"{{\"id\":{i},\"message\":\"line {i}\"}}")) + "]}";

    private static string Job(string status) => $"{{\"job\":{{\"id\":\"j1\",\"status\":\"{status}\"}}}}";

    private static string JobList(string status) => $"[{{\"id\":\"j1\",\"status\":\"{status}\"}}]";

    private static (LogFollower Follower, List<LogEvent> Events) Follower(FakeSockets sockets, FakeHandler rest, int maxAttempts = 15)
    {
        var redactor = Redactor.None;
        var http = StudioHttp.Create(new StudioHttpOptions { PrimaryHandler = rest, MaxRetries = 0 }, out _);
        var client = new StudioClient(http, new Uri("https://studio.example/api/"), redactor);
        var options = new LogFollowOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(1),
            MaxDelay = TimeSpan.FromMilliseconds(5),
            PollInterval = TimeSpan.FromMilliseconds(1),
            MaxAttempts = maxAttempts,
        };
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

    [Fact]
    public void Backoff_doubles_from_the_base_is_capped_and_adds_jitter()
    {
        var http = new HttpClient(new FakeHandler());
        var client = new StudioClient(http, new Uri("https://s/api/"), Redactor.None);
        var follower = new LogFollower(client, new FakeSockets(), "t", "j", NullTrace.Instance, new LogFollowOptions { Random = () => 0.5 });
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
