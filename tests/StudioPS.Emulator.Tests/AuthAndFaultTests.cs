using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace StudioPS.Emulator.Tests;

public sealed class AuthAndFaultTests(EmulatorServer server) : IClassFixture<EmulatorServer>, IAsyncLifetime
{
    public Task InitializeAsync() => server.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    static async Task<(HttpStatusCode Status, JsonElement Body)> Read(HttpResponseMessage r)
    {
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        return (r.StatusCode, await r.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Both_auth_schemes_work_and_lists_are_bare_arrays()
    {
        var bearer = await server.Client.GetFromJsonAsync<JsonElement>("api/datachain/clusters/");
        var token = await server.ReadOnly.GetFromJsonAsync<JsonElement>("api/datachain/clusters");
        Assert.Equal(JsonValueKind.Array, bearer.ValueKind);
        Assert.Equal(3, token.GetArrayLength());
        Assert.Equal("default-cluster", bearer[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Auth_failures_answer_401_and_403_with_the_documented_details()
    {
        var (s1, b1) = await Read(await server.Anonymous.GetAsync("api/datachain/clusters/"));
        Assert.Equal(HttpStatusCode.Unauthorized, s1);
        Assert.Equal("Authentication credentials were not provided.", b1.GetProperty("detail").GetString());

        using var bad = server.NewClient("Bearer", "isat_nope");
        var (s2, b2) = await Read(await bad.GetAsync("api/datachain/clusters/"));
        Assert.Equal(HttpStatusCode.Unauthorized, s2);
        Assert.Equal("Invalid token.", b2.GetProperty("detail").GetString());

        var (s3, b3) = await Read(await server.Client.GetAsync("api/datachain/jobs/?team_name=other-team"));
        Assert.Equal(HttpStatusCode.Forbidden, s3);
        Assert.Equal("Not authorized for the team other-team", b3.GetProperty("detail").GetString());

        var (s4, b4) = await Read(await server.ReadOnly.PostAsync("api/datachain/jobs/",
            EmulatorServer.JsonBody(new { query = "print('x')", team_name = EmulatorServer.Team })));
        Assert.Equal(HttpStatusCode.Forbidden, s4);
        Assert.Equal("Token does not have write access to JOB scope", b4.GetProperty("detail").GetString());

        var (s5, b5) = await Read(await server.Client.GetAsync("api/datachain/nothing-here"));
        Assert.Equal(HttpStatusCode.NotFound, s5);
        Assert.Equal("Not found.", b5.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Validation_errors_name_the_field()
    {
        async Task<string> Message(object body)
        {
            var r = await server.Client.PostAsync("api/datachain/jobs/", EmulatorServer.JsonBody(body));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!;
        }
        const string t = EmulatorServer.Team;
        Assert.Contains("query", await Message(new { team_name = t }));
        Assert.Contains("workers", await Message(new { query = "x", workers = 5, compute_cluster_name = "gpu-cluster", team_name = t }));
        Assert.Contains("mutually exclusive", await Message(new { query = "x", compute_cluster_name = "gpu-cluster", compute_cluster_id = 2, team_name = t }));
        Assert.Contains("cron_expression", await Message(new { query = "x", cron_expression = "61 * * * *", team_name = t }));
        Assert.Contains("files", await Message(new { query = "x", files = new[] { "99" }, team_name = t }));
        Assert.Contains("priority", await Message(new { query = "x", priority = 9, team_name = t }));
        Assert.Contains("environment", await Message(new { query = "x", environment = "A=1\nBROKEN", team_name = t }));
    }

    [Fact]
    public async Task A_fault_with_count_one_fails_once_then_the_server_answers_normally()
    {
        await server.Control.PostAsync("_emulator/faults", EmulatorServer.JsonBody(new
        {
            method = "GET", path = "/api/datachain/clusters/", status = 503, retry_after = "2", count = 1,
        }));
        var first = await server.Client.GetAsync("api/datachain/clusters/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("2", first.Headers.GetValues("Retry-After").Single());
        var second = await server.Client.GetAsync("api/datachain/clusters");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task An_after_fault_lets_the_job_be_created_then_replaces_the_response()
    {
        await server.Control.PostAsync("_emulator/faults", EmulatorServer.JsonBody(new
        {
            method = "POST", path = "/api/datachain/jobs/", status = 502, when = "after", count = 1,
        }));
        var body = EmulatorServer.JsonBody(new { query = "print('once')", team_name = EmulatorServer.Team });
        var r = await server.Client.PostAsync("api/datachain/jobs/", body);
        Assert.Equal(HttpStatusCode.BadGateway, r.StatusCode);

        var all = await server.Control.GetFromJsonAsync<JsonElement>("_emulator/jobs");
        Assert.Equal(1, all.GetProperty("create_requests").GetInt32());
        Assert.Equal(1, all.GetProperty("jobs").GetArrayLength());
    }

    [Fact]
    public async Task An_abort_fault_resets_the_connection()
    {
        await server.Control.PostAsync("_emulator/faults", EmulatorServer.JsonBody(new { path = "/api/*", abort = true, count = 1 }));
        await Assert.ThrowsAsync<HttpRequestException>(() => server.Client.GetAsync("api/datachain/clusters/"));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("api/datachain/clusters/")).StatusCode);
    }

    [Fact]
    public async Task Seeded_fraction_faults_are_reproducible()
    {
        async Task<string> Pattern()
        {
            await server.ResetAsync();
            await server.Control.PostAsync("_emulator/faults", EmulatorServer.JsonBody(new { path = "/api/datachain/clusters", status = 500, fraction = 0.5, seed = 7 }));
            var codes = new List<int>();
            for (int i = 0; i < 20; i++) codes.Add((int)(await server.Client.GetAsync("api/datachain/clusters/")).StatusCode);
            return string.Join(',', codes);
        }
        string a = await Pattern(), b = await Pattern();
        Assert.Equal(a, b);
        Assert.Contains("500", a);
        Assert.Contains("200", a);
    }

    [Fact]
    public async Task The_request_log_records_the_scheme_and_team_but_never_the_token()
    {
        await server.Client.GetAsync($"api/datachain/jobs/?team_name={EmulatorServer.Team}");
        await server.ReadOnly.GetAsync("api/datachain/clusters/");
        string raw = await server.Control.GetStringAsync("_emulator/requests");
        Assert.DoesNotContain(server.Config.ReadWriteToken, raw);
        Assert.DoesNotContain(server.Config.ReadOnlyToken, raw);
        var log = JsonDocument.Parse(raw).RootElement;
        Assert.Equal(2, log.GetArrayLength());
        Assert.Equal("Bearer", log[0].GetProperty("auth_scheme").GetString());
        Assert.Equal(EmulatorServer.Team, log[0].GetProperty("team").GetString());
        Assert.Equal("token", log[1].GetProperty("auth_scheme").GetString());
        Assert.Equal("/api/datachain/clusters/", log[1].GetProperty("path").GetString());
    }

    [Fact]
    public async Task Wrapped_lists_imitate_older_servers()
    {
        await server.Control.PostAsync("_emulator/options", EmulatorServer.JsonBody(new { wrap_lists = true }));
        var clusters = await server.Client.GetFromJsonAsync<JsonElement>("api/datachain/clusters/");
        Assert.Equal(3, clusters.GetProperty("clusters").GetArrayLength());
        var jobs = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/jobs/?team_name={EmulatorServer.Team}");
        Assert.Equal(JsonValueKind.Array, jobs.GetProperty("jobs").ValueKind);
    }
}
