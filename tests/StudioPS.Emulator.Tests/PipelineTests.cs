using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace StudioPS.Emulator.Tests;

public sealed class PipelineTests(EmulatorServer server) : IClassFixture<EmulatorServer>, IAsyncLifetime
{
    public Task InitializeAsync() => server.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<JsonElement> Trigger(object body)
    {
        var r = await server.Client.PostAsync("api/datachain/pipeline/trigger", EmulatorServer.JsonBody(body));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var json = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(json.GetProperty("ok").GetBoolean());
        return json.GetProperty("pipeline");
    }

    async Task<JsonElement> Status(string name) =>
        await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/pipeline/status?team_name={EmulatorServer.Team}&name={name}");

    async Task<JsonElement> WaitFor(string name, params string[] statuses)
    {
        for (int i = 0; i < 500; i++)
        {
            var p = await Status(name);
            if (statuses.Contains(p.GetProperty("status").GetString())) return p;
            await Task.Delay(20);
        }
        throw new TimeoutException("pipeline " + name + " never reached " + string.Join('/', statuses));
    }

    static Dictionary<string, JsonElement> RunsByDataset(JsonElement p) =>
        p.GetProperty("job_runs").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!.Split('.')[^1]);

    [Fact]
    public async Task Runs_start_in_dependency_order_as_real_jobs_and_the_pipeline_completes()
    {
        var p = await Trigger(new
        {
            namespace_name = "@emulator", project_name = "demo", dataset_name = "features", version = "1.0.0",
            team_name = EmulatorServer.Team, review = false,
        });
        Assert.Equal("@emulator.demo.features", p.GetProperty("triggered_from").GetString());
        Assert.Equal(4, p.GetProperty("total").GetInt32());
        Assert.Matches("^[a-z]+-[a-z]+$", p.GetProperty("name").GetString());
        var runs = RunsByDataset(p);
        Assert.Equal("features", p.GetProperty("job_runs")[3].GetProperty("name").GetString()!.Split('.')[^1]);
        Assert.Equal("RUNNING", runs["raw"].GetProperty("status").GetString());
        Assert.Equal("PENDING", runs["clean"].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, runs["features"].GetProperty("created_job_id").ValueKind);
        var featureParents = runs["features"].GetProperty("parent_job_ids").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        Assert.Equal(new[] { runs["clean"].GetProperty("job_id").GetString(), runs["labels"].GetProperty("job_id").GetString() }.ToHashSet(), featureParents);

        var done = await WaitFor(p.GetProperty("name").GetString()!, "COMPLETED", "FAILED");
        Assert.Equal("COMPLETED", done.GetProperty("status").GetString());
        Assert.Equal(4, done.GetProperty("completed").GetInt32());

        // Each run's job finished before any job of a run that depends on it was created.
        var jobs = (await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/jobs/?team_name={EmulatorServer.Team}"))
            .EnumerateArray().ToDictionary(j => j.GetProperty("id").GetString()!);
        DateTime Created(string ds) => jobs[RunsByDataset(done)[ds].GetProperty("created_job_id").GetString()!].GetProperty("created_at").GetDateTime();
        DateTime Finished(string ds) => jobs[RunsByDataset(done)[ds].GetProperty("created_job_id").GetString()!].GetProperty("finished_at").GetDateTime();
        Assert.True(Finished("raw") <= Created("clean"));
        Assert.True(Finished("clean") <= Created("features"));
        Assert.True(Finished("labels") <= Created("features"));
    }

    [Fact]
    public async Task A_failing_run_fails_the_pipeline_and_cancels_its_dependents()
    {
        await server.Control.PostAsync("_emulator/datasets", EmulatorServer.JsonBody(new object[]
        {
            new { name = "@t.p.a" },
            new { name = "@t.p.b", depends_on = new[] { "@t.p.a" }, fail = true },
            new { name = "@t.p.c", depends_on = new[] { "@t.p.b" } },
        }));
        var p = await Trigger(new { datasets = new[] { "@t.p.c@1.0.0" }, review = false, team_name = EmulatorServer.Team });
        var done = await WaitFor(p.GetProperty("name").GetString()!, "COMPLETED", "FAILED");
        Assert.Equal("FAILED", done.GetProperty("status").GetString());
        Assert.Contains("@t.p.b", done.GetProperty("error_message").GetString());
        var runs = RunsByDataset(done);
        Assert.Equal("COMPLETED", runs["a"].GetProperty("status").GetString());
        Assert.Equal("FAILED", runs["b"].GetProperty("status").GetString());
        Assert.Equal("CANCELED", runs["c"].GetProperty("status").GetString());
        Assert.Equal(1, done.GetProperty("completed").GetInt32());
    }

    [Fact]
    public async Task Review_creates_it_PAUSED_and_only_PENDING_runs_of_a_PAUSED_pipeline_can_be_removed()
    {
        var p = await Trigger(new { datasets = new[] { "@emulator.demo.features" }, review = true, team_name = EmulatorServer.Team });
        Assert.Equal("PAUSED", p.GetProperty("status").GetString());
        string name = p.GetProperty("name").GetString()!;
        string labels = RunsByDataset(p)["labels"].GetProperty("job_id").GetString()!;

        var removed = await server.Client.PostAsync("api/datachain/pipeline/remove-job",
            EmulatorServer.JsonBody(new { team_name = EmulatorServer.Team, name, job_id = labels }));
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(3, (await Status(name)).GetProperty("total").GetInt32());

        var resumed = await server.Client.PostAsync("api/datachain/pipeline/resume", EmulatorServer.JsonBody(new { team_name = EmulatorServer.Team, name }));
        Assert.Equal("RUNNING", (await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pipeline").GetProperty("status").GetString());

        var notPaused = await server.Client.PostAsync("api/datachain/pipeline/remove-job",
            EmulatorServer.JsonBody(new { team_name = EmulatorServer.Team, name, job_id = RunsByDataset(p)["features"].GetProperty("job_id").GetString() }));
        Assert.Equal(HttpStatusCode.Conflict, notPaused.StatusCode);
        var body = await notPaused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("ok").GetBoolean());
        Assert.Equal("Jobs can only be removed from a PAUSED pipeline", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Pause_lets_the_running_job_finish_but_starts_nothing_new_until_resumed()
    {
        // Slow enough (raw's job takes ~0.5 s) that the pause surely lands while raw is still running.
        await server.Control.PostAsync("_emulator/options", EmulatorServer.JsonBody(new { speed = 2 }));
        var p = await Trigger(new { datasets = new[] { "@emulator.demo.clean" }, team_name = EmulatorServer.Team });
        string name = p.GetProperty("name").GetString()!;
        await server.Client.PostAsync("api/datachain/pipeline/pause", EmulatorServer.JsonBody(new { team_name = EmulatorServer.Team, pipeline_id = p.GetProperty("pipeline_id").GetString() }));

        JsonElement now = default;
        for (int i = 0; i < 300; i++)
        {
            now = await Status(name);
            if (RunsByDataset(now)["raw"].GetProperty("status").GetString() == "COMPLETED") break;
            await Task.Delay(20);
        }
        await Task.Delay(200);
        now = await Status(name);
        Assert.Equal("PAUSED", now.GetProperty("status").GetString());
        Assert.Equal("COMPLETED", RunsByDataset(now)["raw"].GetProperty("status").GetString());
        Assert.Equal("PENDING", RunsByDataset(now)["clean"].GetProperty("status").GetString());

        await server.Client.PostAsync("api/datachain/pipeline/resume", EmulatorServer.JsonBody(new { team_name = EmulatorServer.Team, name }));
        Assert.Equal("COMPLETED", (await WaitFor(name, "COMPLETED", "FAILED")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_datasets_and_pipelines_answer_404()
    {
        var r = await server.Client.PostAsync("api/datachain/pipeline/trigger",
            EmulatorServer.JsonBody(new { datasets = new[] { "@no.such.thing" }, team_name = EmulatorServer.Team }));
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        var s = await server.Client.GetAsync($"api/datachain/pipeline/status?team_name={EmulatorServer.Team}&name=nope-nope");
        Assert.Equal(HttpStatusCode.NotFound, s.StatusCode);
    }
}
