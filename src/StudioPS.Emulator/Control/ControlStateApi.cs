using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Control;

/// <summary>Control endpoints that read or bulk-load the emulated state (jobs, uploads).</summary>
public static partial class ControlApi
{
    static void MapState(RouteGroupBuilder c, Emulator emu)
    {
        // Every job of every team plus how many create requests reached the handler: tests use the two to
        // prove a retried POST did (or did not) create a duplicate.
        c.MapGet("/jobs", ctx => Handle(ctx, async () =>
        {
            var g = emu.Jobs.Current;
            ctx.Response.ContentType = Json.ContentType;
            await using var w = Json.Writer(ctx);
            w.WriteStartObject();
            w.WriteNumber("create_requests", Volatile.Read(ref g.CreateRequests));
            w.WriteNumber("count", g.Jobs.Count);
            w.WriteStartArray("jobs");
            int count = g.Jobs.Count;
            for (int i = 0; i < count; i++)
            {
                g.Jobs[i].Write(w, includeSteps: false);
                if (w.BytesPending > 32 * 1024)
                {
                    await w.FlushAsync(ctx.RequestAborted);
                    await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
                }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));

        c.MapGet("/files", ctx => Handle(ctx, () => Json.WriteAsync(ctx, w =>
        {
            w.WriteStartArray();
            foreach (var u in emu.Jobs.Current.Uploads.Values.OrderBy(u => u.Id)) u.Write(w, withTeam: true);
            w.WriteEndArray();
        })));

        c.MapPost("/datasets", ctx => Handle(ctx, async () =>
        {
            var body = await Req.ReadJsonAsync(ctx);
            if (body.ValueKind == System.Text.Json.JsonValueKind.Object && body.TryGetProperty("datasets", out var inner)) body = inner;
            if (body.ValueKind != System.Text.Json.JsonValueKind.Array) throw new Req.BadRequest("body must be an array of datasets (or {\"datasets\": [...]})");
            List<DatasetDef> datasets;
            try { datasets = System.Text.Json.JsonSerializer.Deserialize<List<DatasetDef>>(body, Settings.EmulatorConfig.SnakeCase) ?? []; }
            catch (System.Text.Json.JsonException e) { throw new Req.BadRequest("datasets: " + e.Message); }
            if (DatasetDef.Validate(datasets) is { } err) throw new Req.BadRequest(err);
            emu.Pipelines.ReplaceDatasets(datasets);
            await WriteDatasets(ctx, emu);
        }));
        c.MapGet("/datasets", ctx => Handle(ctx, () => WriteDatasets(ctx, emu)));

        c.MapGet("/pipelines", ctx => Handle(ctx, () => Json.WriteAsync(ctx, w =>
        {
            w.WriteStartArray();
            foreach (var p in emu.Pipelines.All()) p.Write(w);
            w.WriteEndArray();
        })));

        c.MapPost("/seed-jobs", ctx => Handle(ctx, async () =>
        {
            var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
            int count = Req.OptInt(body, "count") ?? 100;
            if (count is < 0 or > 5_000_000) throw new Req.BadRequest("count must be between 0 and 5000000");
            string team = Req.OptString(body, "team") ?? Req.OptString(body, "team_name") ?? emu.Config.DefaultTeam;
            if (!emu.Auth.TeamExists(team)) throw new Req.BadRequest($"team '{team}' does not exist");
            string status = (Req.OptString(body, "status") ?? JobStatus.Complete).ToUpperInvariant();
            Seed(emu, count, team, status);
            await Json.WriteAsync(ctx, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("created", count);
                w.WriteNumber("total", emu.Jobs.Current.Jobs.Count);
                w.WriteEndObject();
            });
        }));
    }

    static Task WriteDatasets(HttpContext ctx, Emulator emu) => Json.WriteAsync(ctx, w =>
    {
        w.WriteStartArray();
        foreach (var d in emu.Pipelines.Datasets)
        {
            w.WriteStartObject();
            w.WriteString("name", d.Name);
            w.WriteString("version", d.Version);
            w.WriteStartArray("depends_on");
            foreach (var p in d.DependsOn) w.WriteStringValue(p);
            w.WriteEndArray();
            w.WriteString("query", d.Query);
            w.WriteBoolean("fail", d.Fail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>Creates finished jobs directly (no clock, no history): list benchmarks need volume, not life.</summary>
    static void Seed(Emulator emu, int count, string team, string status)
    {
        // Lists are newest first by creation order, so seeded jobs get times just after every existing job
        // (one microsecond apart) to keep created_at consistent with that order.
        var jobs = emu.Jobs.Current.Jobs;
        var latest = jobs.Count > 0 ? jobs[jobs.Count - 1].CreatedAt : DateTime.MinValue;
        var start = DateTime.UtcNow.AddTicks(-10L * count);
        if (start <= latest) start = latest.AddTicks(10);
        bool terminal = JobStatus.IsTerminal(status);
        for (int i = 1; i <= count; i++)
        {
            string id = Guid.NewGuid().ToString();
            var created = start.AddTicks(10L * i);
            var job = new Job
            {
                Id = id,
                Team = team,
                Url = $"{emu.BaseUrl}/team/{Uri.EscapeDataString(team)}/datasets/jobs/{id}",
                CreatedAt = created,
                CreatedBy = "emulator-seed",
                Query = $"print('seeded job {i}')",
                QueryType = "PYTHON",
                Name = $"seed-{i}.py",
                ComputeClusterId = emu.Clusters.Default?.Id,
                ComputeClusterName = emu.Clusters.Default?.Name,
            };
            job.InitStatus(status,
                finishedAt: terminal && status != JobStatus.Task ? created.AddMilliseconds(1) : null,
                exitCode: status switch { JobStatus.Complete => 0, JobStatus.Failed => 1, _ => null },
                error: status == JobStatus.Failed ? "Seeded failure" : null);
            emu.Jobs.Add(job);
        }
    }
}
