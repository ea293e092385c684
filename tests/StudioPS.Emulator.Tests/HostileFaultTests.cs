using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace StudioPS.Emulator.Tests;

/// <summary>Faults that make the emulator a hostile server: redirects, trickling and huge bodies, hostile first frames.</summary>
public sealed class HostileFaultTests(EmulatorServer server) : IClassFixture<EmulatorServer>, IAsyncLifetime
{
    public Task InitializeAsync() => server.ResetAsync();
    public async Task DisposeAsync()
    {
        await server.Control.DeleteAsync("_emulator/faults");
        await server.Control.DeleteAsync("_emulator/ws-faults");
    }

    [Fact]
    public async Task A_fault_can_redirect_with_a_location()
    {
        await server.Control.PostAsync("_emulator/faults", EmulatorServer.JsonBody(new { path = "/api/datachain/clusters", status = 307, location = "https://elsewhere.example/x", count = 1 }));
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseUri };
        var response = await client.GetAsync("api/datachain/clusters/");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(new Uri("https://elsewhere.example/x"), response.Headers.Location);
    }

    [Fact]
    public async Task A_fault_body_can_be_repeated_into_a_huge_streamed_body()
    {
        await server.Control.PostAsync("_emulator/faults", EmulatorServer.JsonBody(new { path = "/api/datachain/clusters", status = 400, body = "0123456789", body_repeat = 100_000, content_type = "text/plain", count = 1 }));
        var body = await (await server.Client.GetAsync("api/datachain/clusters/")).Content.ReadAsByteArrayAsync();
        Assert.Equal(1_000_000, body.Length);
    }

    [Fact]
    public async Task A_fault_body_can_trickle()
    {
        await server.Control.PostAsync("_emulator/faults", EmulatorServer.JsonBody(new { path = "/api/datachain/clusters", status = 500, body = "{\"detail\":\"x\"}", trickle_ms = 1, count = 1 }));
        var response = await server.Client.GetAsync("api/datachain/clusters/", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("{\"detail\":\"x\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_websocket_fault_sends_a_hostile_first_frame_of_the_given_size()
    {
        var job = await server.CreateJobAsync("print('x')");
        await server.Control.PostAsync("_emulator/ws-faults", EmulatorServer.JsonBody(new { first_frame_bytes = 100_000 }));
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + server.Config.ReadWriteToken);
        var ws = new UriBuilder(server.BaseUri) { Scheme = "ws", Path = "/api/logs/follow/", Query = $"job_id={job.GetProperty("id").GetString()}&team_name={EmulatorServer.Team}" }.Uri;
        await socket.ConnectAsync(ws, default);
        var buffer = new byte[200_000];
        var total = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, total, buffer.Length - total), default);
            total += result.Count;
        }
        while (!result.EndOfMessage);
        Assert.Equal(100_000, total);
        Assert.StartsWith("{\"logs\":[],\"pad\":\"xxx", Encoding.UTF8.GetString(buffer, 0, 40));
    }

    [Fact]
    public async Task Websocket_faults_need_at_least_one_setting()
    {
        var response = await server.Control.PostAsync("_emulator/ws-faults", EmulatorServer.JsonBody(new { }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
