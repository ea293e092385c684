using System.Text.Json;
using StudioPS.Emulator.Auth;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Api;

/// <summary>
/// /api/datachain/pipeline/{trigger,status,list,pause,resume,remove-job}. Errors here answer
/// {"ok": false, "message": ...} like the pipeline endpoints' success shape {"ok": true, "pipeline": ...}.
/// </summary>
public static class PipelinesApi
{
    public static void Map(WebApplication app, Emulator emu)
    {
        app.MapPost("/api/datachain/pipeline/trigger", ctx => TriggerAsync(ctx, emu));
        app.MapGet("/api/datachain/pipeline/status", ctx => StatusAsync(ctx, emu));
        app.MapGet("/api/datachain/pipeline/list", ctx => ListAsync(ctx, emu));
        app.MapPost("/api/datachain/pipeline/pause", ctx => ChangeAsync(ctx, emu, emu.Pipelines.Pause));
        app.MapPost("/api/datachain/pipeline/resume", ctx => ChangeAsync(ctx, emu, emu.Pipelines.Resume));
        app.MapPost("/api/datachain/pipeline/remove-job", ctx => RemoveJobAsync(ctx, emu));
    }

    static ApiException Fail(int status, string message) => new(status, message, withOkFalse: true);

    static async Task TriggerAsync(HttpContext ctx, Emulator emu)
    {
        var grant = emu.Auth.Authenticate(ctx);
        var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
        string? team = Req.BodyTeam(ctx, body);
        if (string.IsNullOrWhiteSpace(team)) throw Fail(400, "team_name is required");
        emu.Auth.Authorize(ctx, grant, team, "PIPELINE", Access.Write);
        bool review = Req.OptBool(body, "review") ?? false;

        var targets = new List<string>();
        bool official = body.TryGetProperty("datasets", out var list) && list.ValueKind != JsonValueKind.Null;
        // A server that knows only one of the two bodies refuses the other, as a schema validator would.
        string form = emu.Options.PipelineTriggerForm;
        if (form == "document" && official) throw new ApiException(400, "Unexpected field: datasets; namespace_name, project_name and dataset_name are required");
        if (form == "official" && !official) throw new ApiException(422, "datasets: field required", "detail");
        if (official)
        {
            // The official client's form: ["@ns.project.name@version", ...].
            if (list.ValueKind != JsonValueKind.Array) throw Fail(400, "datasets must be a list of dataset names");
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                    throw Fail(400, "datasets must be a list of dataset names");
                targets.Add(DatasetName(item.GetString()!.Trim()));
            }
            if (targets.Count == 0) throw Fail(400, "datasets must not be empty");
        }
        else
        {
            // The document's form: namespace_name (with its @), project_name, dataset_name, version.
            string ns = Required(body, "namespace_name");
            string project = Required(body, "project_name");
            string dataset = Required(body, "dataset_name");
            targets.Add((ns.StartsWith('@') ? ns : "@" + ns) + "." + project + "." + dataset);
        }

        var pipeline = emu.Pipelines.Trigger(team, grant.User, targets.Distinct().ToList(), review);
        await WriteOk(ctx, pipeline);
    }

    static string Required(JsonElement body, string field)
    {
        string? value = Req.OptString(body, field);
        return string.IsNullOrWhiteSpace(value) ? throw Fail(400, $"{field} is required") : value.Trim();
    }

    /// <summary>"@ns.project.name@1.0.0" → "@ns.project.name" (the version is accepted but not checked).</summary>
    static string DatasetName(string text)
    {
        if (!text.StartsWith('@')) text = "@" + text;
        int at = text.IndexOf('@', 1);
        return at > 0 ? text[..at] : text;
    }

    static Task WriteOk(HttpContext ctx, Pipeline pipeline) => Json.WriteAsync(ctx, w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("ok", true);
        w.WritePropertyName("pipeline");
        pipeline.Write(w);
        w.WriteEndObject();
    });

    static Pipeline Find(Emulator emu, string team, string? name, string? id)
    {
        if (string.IsNullOrWhiteSpace(name)) name = null;
        if (string.IsNullOrWhiteSpace(id)) id = null;
        if (name is null && id is null) throw Fail(400, "name or pipeline_id is required");
        return emu.Pipelines.Find(team, name, id)
            ?? throw Fail(404, $"Pipeline {name ?? id} not found");
    }

    static async Task StatusAsync(HttpContext ctx, Emulator emu)
    {
        string? team = ctx.Request.Query["team_name"];
        emu.Auth.Require(ctx, team, "PIPELINE", Access.Read);
        var pipeline = Find(emu, team!, ctx.Request.Query["name"], ctx.Request.Query["pipeline_id"]);
        await Json.WriteAsync(ctx, pipeline.Write);
    }

    static async Task ListAsync(HttpContext ctx, Emulator emu)
    {
        string? team = ctx.Request.Query["team_name"];
        emu.Auth.Require(ctx, team, "PIPELINE", Access.Read);
        var statuses = Req.QueryList(ctx, "status");
        // The document shows a JSON list on this GET; read it as status filters when one is sent.
        if (ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = await Req.ReadJsonAsync(ctx);
            if (body.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in body.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
                        (statuses ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(item.GetString()!.Trim().ToUpperInvariant());
            }
        }
        int limit = Req.QueryInt(ctx, "limit", 0) ?? int.MaxValue;
        string? search = ctx.Request.Query["search"];
        if (string.IsNullOrWhiteSpace(search)) search = null;

        var selected = emu.Pipelines.All()
            .Where(p => p.Team == team)
            .Where(p => statuses is null || statuses.Contains(p.CurrentStatus))
            .Where(p => search is null
                || p.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
                || p.TriggeredFrom.Contains(search, StringComparison.OrdinalIgnoreCase)
                || p.Id.Contains(search, StringComparison.OrdinalIgnoreCase))
            .Reverse()
            .Take(limit);
        bool wrap = emu.Options.WrapLists;
        await Json.WriteAsync(ctx, w =>
        {
            if (wrap) { w.WriteStartObject(); w.WritePropertyName("pipelines"); }
            w.WriteStartArray();
            foreach (var p in selected) p.Write(w);
            w.WriteEndArray();
            if (wrap) w.WriteEndObject();
        });
    }

    static async Task<(Pipeline Pipeline, JsonElement Body)> ReadSelectorAsync(HttpContext ctx, Emulator emu)
    {
        var grant = emu.Auth.Authenticate(ctx);
        var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
        string? team = Req.BodyTeam(ctx, body);
        if (string.IsNullOrWhiteSpace(team)) throw Fail(400, "team_name is required");
        emu.Auth.Authorize(ctx, grant, team, "PIPELINE", Access.Write);
        return (Find(emu, team, Req.OptString(body, "name"), Req.OptString(body, "pipeline_id")), body);
    }

    static async Task ChangeAsync(HttpContext ctx, Emulator emu, Func<Pipeline, string?> change)
    {
        var (pipeline, _) = await ReadSelectorAsync(ctx, emu);
        if (change(pipeline) is { } refusal) throw Fail(409, refusal);
        await Json.ActionReplyAsync(ctx, emu.Options.ActionReply, () => WriteOk(ctx, pipeline));
    }

    static async Task RemoveJobAsync(HttpContext ctx, Emulator emu)
    {
        var (pipeline, body) = await ReadSelectorAsync(ctx, emu);
        string jobId = Required(body, "job_id");
        var (status, error) = emu.Pipelines.RemoveJob(pipeline, jobId);
        if (error is not null) throw Fail(status, error);
        await WriteOk(ctx, pipeline);
    }
}
