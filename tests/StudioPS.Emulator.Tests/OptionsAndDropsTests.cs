using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;

namespace StudioPS.Emulator.Tests;

public sealed class OptionsAndDropsTests(EmulatorServer server) : IClassFixture<EmulatorServer>, IAsyncLifetime
{
    public Task InitializeAsync() => server.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    Task Control(string path, object body) => server.Control.PostAsync("_emulator/" + path, EmulatorServer.JsonBody(body));

    ClientWebSocket NewSocket()
    {
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + server.Config.ReadWriteToken);
        return ws;
    }

    Uri Follow(string id, string extra = "") =>
        new($"ws://{server.BaseUri.Authority}/api/logs/follow/?job_id={id}&team_name={EmulatorServer.Team}{extra}");

    /// <summary>Reads frames until the server closes or drops; returns them and whether the close was clean.</summary>
    static async Task<(List<JsonElement> Frames, bool Clean)> ReadAll(ClientWebSocket ws)
    {
        var frames = new List<JsonElement>();
        var buffer = new byte[1 << 20];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, timeout.Token);
                if (r.MessageType == WebSocketMessageType.Close) return (frames, true);
                frames.Add(JsonDocument.Parse(buffer.AsMemory(0, r.Count)).RootElement.Clone());
            }
        }
        catch (WebSocketException)
        {
            return (frames, false);
        }
    }

    [Fact]
    public async Task Drop_after_frames_resets_every_connection_after_that_many_frames()
    {
        // ~5 s of lines at speed 20: the stream is still live when the third frame goes out, even when the
        // socket opens a few seconds late on a loaded machine.
        var job = await server.CreateJobAsync("# emulator: lines=250 interval_ms=400");
        await Control("ws-faults", new { drop_after_frames = 3 });
        using var ws = NewSocket();
        await ws.ConnectAsync(Follow(job.GetProperty("id").GetString()!), CancellationToken.None);
        var (frames, clean) = await ReadAll(ws);
        Assert.False(clean);
        Assert.Equal(3, frames.Count);
    }

    [Fact]
    public async Task A_websocket_is_in_the_request_log_as_soon_as_it_is_open()
    {
        var job = await server.CreateJobAsync("time.sleep(60)");
        using var ws = NewSocket();
        await ws.ConnectAsync(Follow(job.GetProperty("id").GetString()!), CancellationToken.None);
        var log = await server.Control.GetFromJsonAsync<JsonElement>("_emulator/requests");
        var entry = log.EnumerateArray().Single(r => r.GetProperty("path").GetString() == "/api/logs/follow/");
        Assert.Equal(101, entry.GetProperty("status").GetInt32());
        Assert.Equal("Bearer", entry.GetProperty("auth_scheme").GetString());
        Assert.Equal(EmulatorServer.Team, entry.GetProperty("team").GetString());
    }

    [Fact]
    public async Task No_follow_sends_history_and_job_then_closes()
    {
        var job = await server.CreateJobAsync("print('one')\nprint('two')\ntime.sleep(60)");
        string id = job.GetProperty("id").GetString()!;
        await server.WaitForJobAsync(id, j => j.GetProperty("status").GetString() == "RUNNING");
        await Task.Delay(100);
        using var ws = NewSocket();
        await ws.ConnectAsync(Follow(id, "&no_follow=true"), CancellationToken.None);
        var (frames, clean) = await ReadAll(ws);
        Assert.True(clean);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
        Assert.Equal("one\ntwo\n", string.Concat(frames[0].GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("message").GetString())));
        Assert.Equal("RUNNING", frames[1].GetProperty("job").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_the_websocket_option_the_route_answers_404_so_clients_poll()
    {
        await Control("options", new { logs_websocket = false });
        using var ws = NewSocket();
        ws.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(Follow("any"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, ws.HttpStatusCode);
    }

    [Fact]
    public async Task Partial_create_response_returns_only_four_fields()
    {
        await Control("options", new { partial_create_response = true });
        var job = await server.CreateJobAsync("print(1)", new { workers = 2 });
        Assert.Equal(["id", "url", "workers", "python_version"], job.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, job.GetProperty("workers").GetInt32());
    }

    [Fact]
    public async Task Truncate_sends_half_of_the_real_body()
    {
        var whole = await server.Client.GetStringAsync("api/datachain/clusters/");
        await Control("faults", new { path = "/api/datachain/clusters/", truncate = true, count = 1 });
        var cut = await server.Client.GetStringAsync("api/datachain/clusters/");
        Assert.Equal(whole[..(whole.Length / 2)], cut);
    }

    [Fact]
    public async Task Steps_are_included_on_request()
    {
        var job = await server.CreateJobAsync("print(1)");
        string id = job.GetProperty("id").GetString()!;
        await server.WaitForJobAsync(id, EmulatorServer.Terminal);
        var list = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/jobs/?team_name={EmulatorServer.Team}&job_id={id}&include_steps=true");
        var steps = list[0].GetProperty("steps");
        Assert.Equal(["queue", "init", "run"], steps.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(steps.EnumerateArray(), s => Assert.Equal("COMPLETE", s.GetProperty("status").GetString()));
        var plain = await server.GetJobAsync(id);
        Assert.False(plain.TryGetProperty("steps", out _));
    }
}
