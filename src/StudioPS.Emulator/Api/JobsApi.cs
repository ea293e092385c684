using System.Text.Json;
using StudioPS.Emulator.Auth;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Api;

/// <summary>
/// GET/POST /api/datachain/jobs/, POST jobs/{id}/cancel, GET jobs/{id}/logs.
/// Validation answers 400 {"message"} naming the field, like a careful server.
/// </summary>
public static class JobsApi
{
    public static void Map(WebApplication app, Emulator emu)
    {
        app.MapGet("/api/datachain/jobs", ctx => ListAsync(ctx, emu));
        app.MapPost("/api/datachain/jobs", ctx => CreateAsync(ctx, emu));
        app.MapPost("/api/datachain/jobs/{id}/cancel", ctx => CancelAsync(ctx, emu));
        app.MapGet("/api/datachain/jobs/{id}/logs", ctx => LogsAsync(ctx, emu));
    }

    static async Task ListAsync(HttpContext ctx, Emulator emu)
    {
        string? team = ctx.Request.Query["team_name"];
        emu.Auth.Require(ctx, team, "JOB", Access.Read);
        var statuses = Req.QueryList(ctx, "status");
        string? jobId = ctx.Request.Query["job_id"];
        if (string.IsNullOrEmpty(jobId)) jobId = null;
        int limit = Req.QueryInt(ctx, "limit", 0) ?? int.MaxValue;
        bool steps = Req.QueryFlag(ctx, "include_steps");
        bool wrap = emu.Options.WrapLists;

        var jobs = emu.Jobs.Current.Jobs;
        int count = jobs.Count;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = Json.ContentType;
        var body = ctx.Response.BodyWriter;
        await using var w = Json.Writer(ctx);
        if (wrap) { w.WriteStartObject(); w.WritePropertyName("jobs"); }
        w.WriteStartArray();
        int written = 0;
        long flushedAt = 0;
        // Newest first: the list only grows at the end, so walk it backwards.
        for (int i = count - 1; i >= 0 && written < limit; i--)
        {
            var job = jobs[i];
            if (!string.Equals(job.Team, team, StringComparison.Ordinal)) continue;
            if (jobId is not null && !string.Equals(job.Id, jobId, StringComparison.OrdinalIgnoreCase)) continue;
            if (statuses is not null)
            {
                string status;
                lock (job.Gate) status = job.Status;
                if (!statuses.Contains(status)) continue;
            }
            job.Write(w, steps);
            written++;
            // Stream in ~256 KB pieces so 50,000 jobs never sit in memory as one response. BytesPending
            // alone never gets there: the writer hands each full buffer segment to the pipe by itself.
            if (w.BytesCommitted + w.BytesPending - flushedAt > 256 * 1024)
            {
                await w.FlushAsync(ctx.RequestAborted);
                await body.FlushAsync(ctx.RequestAborted);
                flushedAt = w.BytesCommitted;
            }
        }
        w.WriteEndArray();
        if (wrap) w.WriteEndObject();
        await w.FlushAsync(ctx.RequestAborted);
        await body.FlushAsync(ctx.RequestAborted);
    }

    static async Task CreateAsync(HttpContext ctx, Emulator emu)
    {
        var grant = emu.Auth.Authenticate(ctx);
        var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
        string? team = Req.BodyTeam(ctx, body);
        if (string.IsNullOrWhiteSpace(team)) throw new Req.BadRequest("team_name is required");
        emu.Auth.Authorize(ctx, grant, team, "JOB", Access.Write);
        emu.Jobs.CountCreateRequest();

        var job = JobInput.Build(body, team, grant, emu);
        // The clock is attached before the job becomes visible, so a cancel can never miss it.
        job.RecordInitialEvent();
        if (job.Status != JobStatus.Task) emu.Clock.Start(job);
        emu.Jobs.Add(job);

        if (emu.Options.PartialCreateResponse)
        {
            await Json.WriteAsync(ctx, w =>
            {
                w.WriteStartObject();
                w.WriteString("id", job.Id);
                w.WriteString("url", job.Url);
                w.WriteNumber("workers", job.Workers);
                w.WriteString("python_version", job.PythonVersion);
                w.WriteEndObject();
            });
            return;
        }
        await Json.WriteAsync(ctx, w => job.Write(w, includeSteps: false));
    }

    /// <summary>Finds a job the caller may see; 404 "Job not found" otherwise (a job of another team is not revealed).</summary>
    static Job FindVisibleJob(HttpContext ctx, Emulator emu, TokenGrant grant, string? team, Access need)
    {
        string id = (string)ctx.Request.RouteValues["id"]!;
        if (!string.IsNullOrEmpty(team))
        {
            emu.Auth.Authorize(ctx, grant, team, "JOB", need);
            var job = emu.Jobs.Find(id);
            if (job is null || job.Team != team) throw new ApiException(404, "Job not found");
            return job;
        }
        var found = emu.Jobs.Find(id);
        if (found is null || !grant.Teams.Contains(found.Team)) throw new ApiException(404, "Job not found");
        emu.Auth.Authorize(ctx, grant, found.Team, "JOB", need);
        return found;
    }

    static async Task CancelAsync(HttpContext ctx, Emulator emu)
    {
        var grant = emu.Auth.Authenticate(ctx);
        var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
        var job = FindVisibleJob(ctx, emu, grant, Req.BodyTeam(ctx, body), Access.Write);
        if (emu.Clock.Cancel(job) is { } refusal) throw new Req.BadRequest(refusal);
        await Json.ActionReplyAsync(ctx, emu.Options.ActionReply, () => Json.MessageAsync(ctx, "Successfully canceled"));
    }

    static async Task LogsAsync(HttpContext ctx, Emulator emu)
    {
        var grant = emu.Auth.Authenticate(ctx);
        var job = FindVisibleJob(ctx, emu, grant, ctx.Request.Query["team_name"], Access.Read);
        var lines = job.LogLines();
        if (string.Equals(ctx.Request.Query["format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            await Json.WriteAsync(ctx, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("logs");
                foreach (var l in lines)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", l.LogId);
                    w.WriteString("message", l.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }
        // The output as it was written: the chunks joined, their own line breaks (LF or CRLF) kept.
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync(job.OutputText(), ctx.RequestAborted);
    }
}
