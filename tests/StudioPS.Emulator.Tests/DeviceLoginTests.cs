using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace StudioPS.Emulator.Tests;

public sealed class DeviceLoginTests(EmulatorServer server) : IClassFixture<EmulatorServer>, IAsyncLifetime
{
    public Task InitializeAsync() => server.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<JsonElement> StartAsync(object? body = null)
    {
        var r = await server.Anonymous.PostAsync("api/device-login", EmulatorServer.JsonBody(body ?? new { client_name = "DataChain" }));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    async Task<(HttpStatusCode Status, JsonElement Body)> PollAsync(string deviceCode)
    {
        var r = await server.Anonymous.PostAsync(new Uri(server.BaseUri, "api/device-login/token"), EmulatorServer.JsonBody(new { code = deviceCode }));
        return (r.StatusCode, await r.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Starts_a_sign_in_without_a_token_and_answers_as_the_official_client_expects()
    {
        var start = await StartAsync(new { client_name = "DataChain", token_name = "laptop", scopes = new[] { "job", "PIPELINE" } });
        foreach (var field in new[] { "device_code", "user_code", "verification_uri", "token_uri", "token_name" })
            Assert.False(string.IsNullOrEmpty(start.GetProperty(field).GetString()), field);
        Assert.Equal("laptop", start.GetProperty("token_name").GetString());
        Assert.Equal(900, start.GetProperty("expires_in").GetInt32());
        Assert.False(start.TryGetProperty("interval", out _));
        Assert.Equal(server.BaseUri + "api/device-login/token", start.GetProperty("token_uri").GetString());
    }

    [Fact]
    public async Task The_verification_page_says_how_to_approve_the_code_without_showing_the_control_token()
    {
        var start = await StartAsync();
        var userCode = start.GetProperty("user_code").GetString()!;
        var page = new Uri(start.GetProperty("verification_uri").GetString() + "?code=" + userCode);
        var r = await server.Anonymous.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/plain", r.Content.Headers.ContentType?.MediaType);
        var text = await r.Content.ReadAsStringAsync();
        Assert.Contains($"/_emulator/device-logins/{userCode}/approve", text);
        Assert.Contains("X-Emulator-Control: <ControlToken>", text);
        Assert.DoesNotContain(server.Config.ControlToken, text);

        // A code the emulator never issued is not echoed back.
        var other = await (await server.Anonymous.GetAsync(new Uri(server.BaseUri, "auth/device?code=%3Cscript%3E"))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", other);
        Assert.Contains("/_emulator/device-logins/<code>/approve", other);
    }

    [Fact]
    public async Task Refuses_unknown_scopes_and_a_missing_client_name_with_a_detail()
    {
        var r = await server.Anonymous.PostAsync("api/device-login", EmulatorServer.JsonBody(new { client_name = "x", scopes = new[] { "ADMIN" } }));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("ADMIN", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        r = await server.Anonymous.PostAsync("api/device-login", EmulatorServer.JsonBody(new { token_name = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact]
    public async Task Pending_until_approved_then_the_token_works_once_handed_out()
    {
        var start = await StartAsync(new { client_name = "DataChain", scopes = new[] { "CLUSTER" } });
        var device = start.GetProperty("device_code").GetString()!;
        var (s1, b1) = await PollAsync(device);
        Assert.Equal(HttpStatusCode.BadRequest, s1);
        Assert.Equal("authorization_pending", b1.GetProperty("detail").GetString());

        var approve = await server.Control.PostAsync($"_emulator/device-logins/{start.GetProperty("user_code").GetString()}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);

        var (s2, b2) = await PollAsync(device);
        Assert.Equal(HttpStatusCode.OK, s2);
        var token = b2.GetProperty("access_token").GetString()!;
        Assert.StartsWith("isat_", token);
        // Handed out once: the code is spent.
        var (s3, b3) = await PollAsync(device);
        Assert.Equal("authorization_expired", b3.GetProperty("detail").GetString());

        using var client = server.NewClient("token", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/datachain/clusters/")).StatusCode);
        // Asked for CLUSTER only: no access to jobs.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"api/datachain/jobs/?team_name={EmulatorServer.Team}")).StatusCode);
    }

    [Fact]
    public async Task An_expired_code_answers_authorization_expired()
    {
        var start = await StartAsync();
        var expire = await server.Control.PostAsync($"_emulator/device-logins/{start.GetProperty("user_code").GetString()}/expire", null);
        Assert.Equal(HttpStatusCode.OK, expire.StatusCode);
        var (status, body) = await PollAsync(start.GetProperty("device_code").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("authorization_expired", body.GetProperty("detail").GetString());
        // Approving it afterwards is refused, as a browser would show.
        Assert.Equal(HttpStatusCode.Conflict, (await server.Control.PostAsync($"_emulator/device-logins/{start.GetProperty("user_code").GetString()}/approve", null)).StatusCode);
    }

    [Fact]
    public async Task A_code_outlives_its_lifetime_and_the_interval_is_sent_when_set()
    {
        var settings = await server.Control.PostAsync("_emulator/device-logins/settings", EmulatorServer.JsonBody(new { interval = 0.05, expires_in = 1 }));
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        var start = await StartAsync();
        Assert.Equal(0.05, start.GetProperty("interval").GetDouble());
        Assert.Equal(1, start.GetProperty("expires_in").GetInt32());
        await Task.Delay(1100);
        var (_, body) = await PollAsync(start.GetProperty("device_code").GetString()!);
        Assert.Equal("authorization_expired", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Logout_revokes_the_token_everywhere()
    {
        using var client = server.NewClient("Bearer", server.Config.ReadWriteToken);
        var logout = await client.PostAsync("api/device-logout", null);
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        var after = await client.GetAsync("api/datachain/clusters/");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("api/device-logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous.PostAsync("api/device-logout", null)).StatusCode);

        // A reset brings the settings' tokens back.
        await server.ResetAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/datachain/clusters/")).StatusCode);
    }

    [Fact]
    public async Task The_control_api_lists_sign_ins_without_their_device_codes()
    {
        var start = await StartAsync();
        var list = await server.Control.GetFromJsonAsync<JsonElement>("_emulator/device-logins");
        var item = Assert.Single(list.EnumerateArray());
        Assert.Equal(start.GetProperty("user_code").GetString(), item.GetProperty("user_code").GetString());
        Assert.Equal("pending", item.GetProperty("state").GetString());
        Assert.DoesNotContain(start.GetProperty("device_code").GetString()!, list.GetRawText());
    }
}
