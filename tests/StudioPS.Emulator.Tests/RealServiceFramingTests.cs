using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using StudioPS.Emulator.Settings;

namespace StudioPS.Emulator.Tests;

/// <summary>
/// What the emulator does like the real service (official-client-notes.md): log records are raw output
/// chunks, archived output comes as log_blobs on its own origin or another host, replies of actions may be
/// bare, and a server may accept only one pipeline trigger body.
/// </summary>
public sealed class RealServiceFramingTests(EmulatorServer server) : IClassFixture<EmulatorServer>, IAsyncLifetime
{
    public Task InitializeAsync() => server.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    Task Options(object body) => server.Control.PostAsync("_emulator/options", EmulatorServer.JsonBody(body));

    static string Expected(int lines, string prefix) =>
        string.Concat(Enumerable.Range(1, lines).Select(i => $"{prefix} {i}" + (i % 4 == 0 ? "\r\n" : "\n")));

    async Task<List<JsonElement>> Frames(string id)
    {
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "token " + server.Config.ReadWriteToken);
        await ws.ConnectAsync(new Uri($"ws://{server.BaseUri.Authority}/api/logs/follow/?job_id={id}&team_name={EmulatorServer.Team}"), CancellationToken.None);
        var frames = new List<JsonElement>();
        var buffer = new byte[1 << 22];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            int count = 0;
            WebSocketReceiveResult r;
            do
            {
                r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), timeout.Token);
                count += r.Count;
            } while (!r.EndOfMessage);
            if (r.MessageType == WebSocketMessageType.Close) return frames;
            frames.Add(JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone());
        }
    }

    static List<(int Id, string Message)> Records(IEnumerable<JsonElement> frames) =>
        frames.Where(f => f.TryGetProperty("logs", out _))
            .SelectMany(f => f.GetProperty("logs").EnumerateArray())
            .Select(l => (l.GetProperty("id").GetInt32(), l.GetProperty("message").GetString()!)).ToList();

    async Task<string> FinishedJob(string query)
    {
        var job = await server.CreateJobAsync(query);
        string id = job.GetProperty("id").GetString()!;
        await server.WaitForJobAsync(id, EmulatorServer.Terminal);
        return id;
    }

    [Fact]
    public async Task Log_records_are_raw_chunks_that_cut_lines_anywhere_and_join_to_the_output()
    {
        string id = await FinishedJob("# emulator: lines=2000 interval_ms=0 prefix=row");
        var records = Records(await Frames(id));
        Assert.Equal(Enumerable.Range(1, records.Count), records.Select(r => r.Id));
        Assert.Equal(Expected(2000, "row"), string.Concat(records.Select(r => r.Message)));
        Assert.Contains(records, r => r.Message.Count(c => c == '\n') >= 2);          // several lines in one record
        Assert.Contains(records, r => !r.Message.EndsWith('\n'));                      // a line cut across records
        Assert.Contains(records, r => r.Message.Contains("\r\n"));                     // CRLF line ends
    }

    [Fact]
    public async Task Every_connection_replays_the_same_history()
    {
        string id = await FinishedJob("# emulator: lines=300 interval_ms=0");
        var first = Records(await Frames(id));
        var second = Records(await Frames(id));
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Stdout_write_logs_raw_text_and_the_REST_log_is_the_output_itself()
    {
        string id = await FinishedJob("print(\"a\\n\\nb\")\nsys.stdout.write(\"no newline\")");
        Assert.Equal("a\n\nb\nno newline", await server.Client.GetStringAsync($"api/datachain/jobs/{id}/logs?team_name={EmulatorServer.Team}"));
    }

    [Fact]
    public async Task Archived_output_on_the_own_origin_comes_first_as_log_blobs_and_needs_the_token()
    {
        string id = await FinishedJob("# emulator: lines=50 interval_ms=0");
        await Options(new { log_archive = "own" });
        var frames = await Frames(id);
        var url = Assert.Single(frames[0].GetProperty("log_blobs").EnumerateArray()).GetString()!;
        Assert.StartsWith(server.BaseUri.GetLeftPart(UriPartial.Authority) + "/api/", url);
        // Everything was archived at the first connection: no logs frame repeats it.
        Assert.Empty(Records(frames));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous.GetAsync(url)).StatusCode);
        Assert.Equal(Expected(50, "line"), await server.Client.GetStringAsync(url));
        // The next connection sends the same archive again.
        Assert.Equal(url, (await Frames(id))[0].GetProperty("log_blobs")[0].GetString());
    }

    [Fact]
    public async Task Archived_output_on_another_host_name_is_presigned_and_served_only_there()
    {
        string id = await FinishedJob("# emulator: lines=20 interval_ms=0");
        await Options(new { log_archive = "other" });
        var url = new Uri((await Frames(id))[0].GetProperty("log_blobs")[0].GetString()!);
        Assert.Equal("localhost", url.Host);
        Assert.Equal(server.BaseUri.Port, url.Port);
        using var plain = new HttpClient();
        Assert.Equal(Expected(20, "line"), await plain.GetStringAsync(url));
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync(url.GetLeftPart(UriPartial.Path) + "?signature=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync(server.BaseUri + url.PathAndQuery.TrimStart('/'))).StatusCode);
        var log = await server.Control.GetFromJsonAsync<JsonElement>("_emulator/requests");
        var entry = log.EnumerateArray().First(r => r.GetProperty("path").GetString()!.StartsWith("/blobs/"));
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("auth_scheme").ValueKind);
    }

    [Fact]
    public async Task Output_logged_after_the_archive_point_comes_as_logs_frames()
    {
        var job = await server.CreateJobAsync("print('before')\ntime.sleep(40)\nprint('after')");
        string id = job.GetProperty("id").GetString()!;
        await server.WaitForJobAsync(id, j => j.GetProperty("status").GetString() == "RUNNING");
        await Task.Delay(200);
        await Options(new { log_archive = "own" });
        var frames = await Frames(id);
        var url = frames[0].GetProperty("log_blobs")[0].GetString()!;
        Assert.Equal("before\n", await server.Client.GetStringAsync(url));
        Assert.Equal("after\n", string.Concat(Records(frames).Select(r => r.Message)));
    }

    [Theory]
    [InlineData("empty_object", "{}")]
    [InlineData("empty", "")]
    [InlineData("text", "OK")]
    public async Task Cancel_and_resume_can_answer_bare_success_bodies(string reply, string body)
    {
        await Options(new { action_reply = reply });
        var job = await server.CreateJobAsync("time.sleep(60)");
        var cancel = await server.Client.PostAsync($"api/datachain/jobs/{job.GetProperty("id").GetString()}/cancel",
            EmulatorServer.JsonBody(new { team_name = EmulatorServer.Team }));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(body, await cancel.Content.ReadAsStringAsync());

        var trigger = await server.Client.PostAsync("api/datachain/pipeline/trigger",
            EmulatorServer.JsonBody(new { datasets = new[] { "@emulator.demo.raw" }, review = true, team_name = EmulatorServer.Team }));
        var name = (await trigger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pipeline").GetProperty("name").GetString();
        var resume = await server.Client.PostAsync("api/datachain/pipeline/resume", EmulatorServer.JsonBody(new { team_name = EmulatorServer.Team, name }));
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal(body, await resume.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_server_may_accept_only_one_pipeline_trigger_body()
    {
        var document = new { namespace_name = "@emulator", project_name = "demo", dataset_name = "raw", version = "1.0.0", team_name = EmulatorServer.Team, review = true };
        var official = new { datasets = new[] { "@emulator.demo.raw", "@emulator.demo.labels" }, review = true, team_name = EmulatorServer.Team };

        await Options(new { pipeline_trigger_form = "official" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.Client.PostAsync("api/datachain/pipeline/trigger", EmulatorServer.JsonBody(document))).StatusCode);
        var ok = await server.Client.PostAsync("api/datachain/pipeline/trigger", EmulatorServer.JsonBody(official));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(2, (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pipeline").GetProperty("job_runs").GetArrayLength());

        await Options(new { pipeline_trigger_form = "document" });
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.PostAsync("api/datachain/pipeline/trigger", EmulatorServer.JsonBody(official))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync("api/datachain/pipeline/trigger", EmulatorServer.JsonBody(document))).StatusCode);
    }

    [Fact]
    public void The_trigger_form_can_be_chosen_at_start()
    {
        Assert.Equal("official", EmulatorConfig.From(CommandLineOptions.Parse(["--pipeline-trigger-form", "Official"])).PipelineTriggerForm);
        Assert.Throws<UsageException>(() => CommandLineOptions.Parse(["--pipeline-trigger-form", "both"]));
    }

    [Fact]
    public async Task A_rerun_shares_the_run_group_of_the_job_it_continues()
    {
        string first = await FinishedJob("print('x')");
        var rerun = await server.CreateJobAsync("print('y')", new { rerun_from_job_id = first, reset = true });
        var origin = await server.GetJobAsync(first);
        Assert.Equal(first, rerun.GetProperty("rerun_from_job_id").GetString());
        Assert.Equal(origin.GetProperty("run_group_id").GetString(), rerun.GetProperty("run_group_id").GetString());
        Assert.True(rerun.GetProperty("reset").GetBoolean());
    }
}
