using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Http;
using StudioPS.Logs;
using StudioPS.Models;
using StudioPS.Rendering;
using Xunit;

namespace StudioPS.Core.Tests.Security;

/// <summary>A body that sends a few bytes, then nothing until the read is cancelled; or a body of a given size, made as it is read.</summary>
internal sealed class ScriptedStream : ReadOnlyStream
{
    private readonly byte[] _pattern;
    private readonly long _length;
    private readonly bool _stall;
    private long _position;

    private ScriptedStream(byte[] pattern, long length, bool stall)
    {
        _pattern = pattern;
        _length = length;
        _stall = stall;
    }

    public long BytesRead => _position;

    public static ScriptedStream Stalling(string head) => new(Encoding.UTF8.GetBytes(head), Encoding.UTF8.GetByteCount(head), stall: true);

    public static ScriptedStream Repeating(string pattern, long length) => new(Encoding.UTF8.GetBytes(pattern), length, stall: false);

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_position >= _length)
        {
            if (!_stall) return 0;
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        var n = (int)Math.Min(count, _length - _position);
        for (var i = 0; i < n; i++) buffer[offset + i] = _pattern[(_position + i) % _pattern.Length];
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
}

/// <summary>Limits on what a server can make the client do: time, memory, stack, schemes, console text.</summary>
public class HostileServerTests
{
    private static StudioClient Client(FakeHandler fake, TimeSpan timeout, int retries = 0)
    {
        var http = StudioHttp.Create(new StudioHttpOptions
        {
            StudioOrigin = new Uri("https://studio.example"),
            Timeout = timeout,
            PrimaryHandler = fake,
            RetryPolicy = new RetryPolicy(retries, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2)),
        }, out _);
        return new StudioClient(http, new Uri("https://studio.example/api/"), Redactor.None, timeout);
    }

    private static Action<HttpResponseMessage> Body(Stream stream, string mediaType = "application/json") => r =>
    {
        r.Content = new StreamContent(stream);
        r.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
    };

    [Fact]
    public async Task An_error_body_that_trickles_on_a_list_endpoint_ends_as_a_timeout_within_the_calls_bound()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.BadRequest, null, configure: Body(ScriptedStream.Stalling("{\"detail\": \"slo")));
        // The safety net: without the bound the call would run until this, and end as a cancellation instead.
        using var net = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var error = await Assert.ThrowsAsync<StudioApiException>(() =>
            Client(fake, TimeSpan.FromMilliseconds(300)).GetClustersAsync(null, NullTrace.Instance, net.Token).ToListAsync(net.Token).AsTask());
        Assert.Equal(StudioErrorKind.Timeout, error.Kind);
        Assert.False(net.IsCancellationRequested);
    }

    [Fact]
    public async Task A_huge_error_body_is_read_only_up_to_the_cap_and_still_gives_the_servers_message()
    {
        var body = ScriptedStream.Repeating("{\"detail\": \"bad team\"}                                        ", 50L * 1024 * 1024);
        var fake = new FakeHandler().Respond(HttpStatusCode.BadRequest, null, configure: Body(body, "text/plain"));
        var error = await Assert.ThrowsAsync<StudioApiException>(() =>
            Client(fake, TimeSpan.FromSeconds(30)).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync().AsTask());
        Assert.Equal(StudioErrorKind.BadRequest, error.Kind);
        Assert.True(body.BytesRead <= HttpBodies.MaxErrorBodyBytes + 81920, $"read {body.BytesRead} bytes");
        Assert.Contains("bad team", error.Message);
    }

    [Fact]
    public async Task A_buffered_body_over_the_cap_is_refused_with_a_clear_error()
    {
        var body = ScriptedStream.Repeating("                ", HttpBodies.MaxBufferedBodyBytes + 1024L);
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, null, configure: Body(body));
        var error = await Assert.ThrowsAsync<StudioApiException>(() =>
            Client(fake, TimeSpan.FromSeconds(60)).GetObjectAsync<StudioJob>("datachain/jobs/x", null, NullTrace.Instance, default));
        Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("larger than 32 MiB", error.Message);
        Assert.True(body.BytesRead <= HttpBodies.MaxBufferedBodyBytes + 81920);
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_is_refused_before_reading()
    {
        var body = ScriptedStream.Repeating(" ", 16);
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, null, configure: r =>
        {
            Body(body)(r);
            r.Content.Headers.ContentLength = HttpBodies.MaxBufferedBodyBytes + 1L;
        });
        var error = await Assert.ThrowsAsync<StudioApiException>(() =>
            Client(fake, TimeSpan.FromSeconds(30)).GetObjectAsync<StudioJob>("datachain/jobs/x", null, NullTrace.Instance, default));
        Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task A_list_streams_past_the_buffer_cap()
    {
        const string item = "{\"id\":1,\"name\":\"a\",\"status\":\"ACTIVE\"},";
        var count = HttpBodies.MaxBufferedBodyBytes / item.Length + 1000;
        var text = "[" + string.Concat(Enumerable.Repeat(item, count)) + "{\"id\":2,\"name\":\"last\"}]";
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, null, configure: Body(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        var n = 0;
        await foreach (var cluster in Client(fake, TimeSpan.FromSeconds(60)).GetClustersAsync(null, NullTrace.Instance, default)) n++;
        Assert.Equal(count + 1, n);
    }

    [Fact]
    public async Task Control_characters_in_a_servers_error_message_are_escaped()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.BadRequest, "{\"detail\": \"bad\\u001b[2J\\u001b]0;owned\\u0007 \\u202Eteam\"}");
        var error = await Assert.ThrowsAsync<StudioApiException>(() =>
            Client(fake, TimeSpan.FromSeconds(30)).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync().AsTask());
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.DoesNotContain('\u0007', error.Message);
        Assert.DoesNotContain('\u202E', error.Message);
        Assert.Contains("bad\\u001b[2J", error.Message);
    }

    [Fact]
    public void DisplayText_escapes_controls_and_direction_overrides_and_leaves_other_text_alone()
    {
        Assert.Equal("plain text é 日本", DisplayText.Escape("plain text é 日本"));
        Assert.Equal("a\\nb\\tc\\u001b[31md\\u202e", DisplayText.Escape("a\nb\tc\u001b[31md\u202E"));
        Assert.Equal("a\nb\\u0007", DisplayText.Escape("a\nb\u0007", keepLineBreaks: true));
        Assert.Equal(string.Empty, DisplayText.Escape(null));
    }

    private static StudioPipeline Chain(int depth)
    {
        var runs = new StudioPipelineJobRun[depth];
        for (var i = 0; i < depth; i++)
            runs[i] = new StudioPipelineJobRun { JobId = "j" + i, Name = "step" + i, Status = "DONE", ParentJobIds = i == 0 ? null : new[] { "j" + (i - 1) } };
        return new StudioPipeline { Id = "p", Name = "deep", Status = "RUNNING", JobRuns = runs };
    }

    [Fact]
    public void A_20000_deep_pipeline_is_drawn_without_recursion_in_memory_linear_in_its_size()
    {
        IReadOnlyList<string>? lines = null;
        Exception? failure = null;
        // A small stack: a recursive drawing of 20,000 levels would overflow it and end the process.
        var thread = new Thread(() =>
        {
            try { lines = PipelineGraph.Tree(Chain(20000)); }
            catch (Exception e) { failure = e; }
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        Assert.Equal(20001, lines!.Count);
        Assert.EndsWith("step19999 [DONE]", lines[20000]);
        Assert.Contains("[level 20000]", lines[20000]);
        // Linear: every line stays short however deep it is.
        Assert.All(lines, l => Assert.True(l.Length < 3 * PipelineGraph.MaxIndentDepth + 60, l));
        Assert.Contains("flowchart TD", PipelineGraph.Mermaid(Chain(20000)));
        Assert.Contains("digraph", PipelineGraph.Dot(Chain(20000)));
    }

    [Fact]
    public void A_shallow_pipeline_is_drawn_as_before()
    {
        var lines = PipelineGraph.Tree(Chain(3));
        Assert.Equal(new[] { "deep [RUNNING] ?/?", "└─ step0 [DONE]", "   └─ step1 [DONE]", "      └─ step2 [DONE]" }, lines);
    }

    [Fact]
    public void Server_text_in_the_tree_has_control_characters_escaped()
    {
        var pipeline = new StudioPipeline { Id = "p", Name = "n\u001b[2J", Status = "OK", JobRuns = new[] { new StudioPipelineJobRun { JobId = "a", Name = "x\ry", Status = "S\u0007" } } };
        var text = string.Join("\n", PipelineGraph.Tree(pipeline));
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\r', text);
        Assert.Contains("x\\ry [S\\u0007]", text);
    }

    [Theory]
    [InlineData("ftp://files.example/log.txt")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://files.example/log.txt")]
    public async Task A_log_blob_at_a_scheme_other_than_https_is_refused_with_a_clear_warning_and_never_fetched(string url)
    {
        // The official client warns and goes on when an archive cannot be read; a refused address is no different.
        var sockets = new StudioPS.Core.Tests.Logs.FakeSockets().Connection(new[] { "{\"log_blobs\":[\"" + url + "\"]}", "{\"logs\":[{\"id\":1,\"message\":\"live\\n\"}]}", "{\"job\":{\"id\":\"j1\",\"status\":\"COMPLETE\"}}" });
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, "[{\"id\":\"j1\",\"status\":\"COMPLETE\"}]");
        var http = StudioHttp.Create(new StudioHttpOptions { PrimaryHandler = fake, MaxRetries = 0 }, out _);
        var client = new StudioClient(http, new Uri("https://studio.example/api/"), Redactor.None);
        var follower = new LogFollower(client, sockets, "t1", "j1", NullTrace.Instance, new LogFollowOptions());
        var events = new List<LogEvent>();

        await follower.RunAsync(e => { events.Add(e); return Task.CompletedTask; }, default);

        var warning = Assert.Single(events, e => e.Kind == LogEventKind.Warning);
        Assert.Contains("j1", warning.Message);
        Assert.Equal(new[] { "live" }, events.Where(e => e.Kind == LogEventKind.Line).Select(e => e.Message));
        Assert.DoesNotContain(fake.Requests, r => r.RequestUri!.Host != "studio.example");
    }

    [Fact]
    public void Blobs_at_https_or_at_Studios_own_origin_are_allowed()
    {
        BlobReader.CheckScheme(new Uri("https://bucket.example/log?sig=x"), new Uri("http://127.0.0.1:5000/api/"), "a log");
        BlobReader.CheckScheme(new Uri("http://127.0.0.1:5000/blobs/1"), new Uri("http://127.0.0.1:5000/api/"), "a log");
        Assert.Throws<StudioApiException>(() => BlobReader.CheckScheme(new Uri("http://127.0.0.1:5001/blobs/1"), new Uri("http://127.0.0.1:5000/api/"), "a log"));
    }

    // ---- the log websocket against a raw server that misbehaves ----

    private static async Task<(TcpListener Listener, Task<Socket> Accepted)> ServeWebSocketAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = Task.Run(async () =>
        {
            var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[8192];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n"))
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0) break;
                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            var key = request.ToString().Split("\r\n").First(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase)).Split(':', 2)[1].Trim();
            var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n"), SocketFlags.None);
            return socket;
        });
        await Task.Yield();
        return (listener, accepted);
    }

    [Fact]
    public async Task A_websocket_message_over_the_cap_is_refused_without_reading_it_all()
    {
        var (listener, accepted) = await ServeWebSocketAsync();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var settings = new LogSocketSettings { MaxMessageBytes = 1024 * 1024, UseProxy = false };
            var factory = new WebSocketLogSocketFactory(() => "Bearer x", "test", settings);
            using var socket = await factory.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/api/logs/follow/"), default);
            using var server = await accepted;
            // One text frame that claims 64 MiB; the server then streams its body.
            var header = new byte[] { 0x81, 127, 0, 0, 0, 0, 0x04, 0, 0, 0 };
            await server.SendAsync(header, SocketFlags.None);
            var sending = Task.Run(async () =>
            {
                var chunk = new byte[64 * 1024];
                // Ends when the client refuses the message and the test closes this end (either may come first).
                try { for (var i = 0; i < 1024; i++) await server.SendAsync(chunk, SocketFlags.None); }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException) { }
            });
            var error = await Assert.ThrowsAsync<StudioApiException>(() => socket.ReceiveAsync(default));
            Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("larger than 1 MiB", error.Message);
            server.Close();
            await sending;
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Websocket_frames_of_any_size_and_fragmented_ones_arrive_whole_through_one_reused_buffer()
    {
        var (listener, accepted) = await ServeWebSocketAsync();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var settings = new LogSocketSettings { MaxMessageBytes = 1024 * 1024, UseProxy = false };
            using var socket = await new WebSocketLogSocketFactory(() => "Bearer x", "test", settings)
                .ConnectAsync(new Uri($"ws://127.0.0.1:{port}/api/logs/follow/"), default);
            using var server = await accepted;
            static byte[] Text(int length, char fill) => Encoding.ASCII.GetBytes(new string(fill, length));
            static byte[] Frame(byte first, byte[] payload)
            {
                var header = payload.Length < 126 ? new byte[] { first, (byte)payload.Length }
                    : payload.Length < 65536 ? new byte[] { first, 126, (byte)(payload.Length >> 8), (byte)payload.Length }
                    : new byte[] { first, 127, 0, 0, 0, 0, (byte)(payload.Length >> 24), (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length };
                return header.Concat(payload).ToArray();
            }
            // Small, large (the buffer grows), small again (the grown buffer is reused), then one message in three fragments.
            var sizes = new[] { (10, 'a'), (300 * 1024, 'b'), (20, 'c') };
            // Sent while the client reads: 380 KB would not all fit in the socket buffers of every machine.
            var sending = Task.Run(async () =>
            {
                foreach (var (length, fill) in sizes) await server.SendAsync(Frame(0x81, Text(length, fill)), SocketFlags.None);
                await server.SendAsync(Frame(0x01, Text(40 * 1024, 'x')).Concat(Frame(0x00, Text(40 * 1024, 'y'))).Concat(Frame(0x80, Text(5, 'z'))).ToArray(), SocketFlags.None);
            });
            foreach (var (length, fill) in sizes)
            {
                var message = await socket.ReceiveAsync(default);
                Assert.Equal(new string(fill, length), Encoding.ASCII.GetString(message!.Value.Span));
            }
            var joined = await socket.ReceiveAsync(default);
            Assert.Equal(new string('x', 40 * 1024) + new string('y', 40 * 1024) + "zzzzz", Encoding.ASCII.GetString(joined!.Value.Span));
            await sending;
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_silent_websocket_counts_as_dropped_after_the_idle_limit()
    {
        var (listener, accepted) = await ServeWebSocketAsync();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var settings = new LogSocketSettings { IdleTimeout = TimeSpan.FromMilliseconds(200), UseProxy = false };
            using var socket = await new WebSocketLogSocketFactory(() => "Bearer x", "test", settings)
                .ConnectAsync(new Uri($"ws://127.0.0.1:{port}/api/logs/follow/"), default);
            using var server = await accepted;
            using var net = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var error = await Assert.ThrowsAsync<IOException>(() => socket.ReceiveAsync(net.Token));
            Assert.Contains("silent", error.Message);
            Assert.False(net.IsCancellationRequested);
        }
        finally
        {
            listener.Stop();
        }
    }
}
