using System.Text.Json;
using StudioPS.Emulator.Settings;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Control;

/// <summary>
/// /_emulator/*: the test-facing control surface. Behind <see cref="ControlGuard"/> (control token, loopback Host),
/// never in the request log, never faulted.
/// </summary>
public static partial class ControlApi
{
    public static void Map(WebApplication app, Emulator emu)
    {
        var c = app.MapGroup("/_emulator");

        c.MapGet("/requests", ctx => Handle(ctx, () => Json.WriteAsync(ctx, w =>
        {
            w.WriteStartArray();
            foreach (var r in emu.RequestLog.Snapshot()) RequestLog.Write(w, r);
            w.WriteEndArray();
        })));
        c.MapDelete("/requests", ctx => Handle(ctx, () => { emu.RequestLog.Clear(); return Ok(ctx); }));

        c.MapPost("/faults", ctx => Handle(ctx, async () =>
        {
            var body = await Req.ReadJsonAsync(ctx);
            var fault = Fault.Parse(body, emu.Faults.NewId(), out string? error) ?? throw new Req.BadRequest(error ?? "invalid fault");
            emu.Faults.Add(fault);
            await Json.WriteAsync(ctx, w => { w.WriteStartObject(); w.WriteString("id", fault.Id); w.WriteEndObject(); });
        }));
        c.MapGet("/faults", ctx => Handle(ctx, () => Json.WriteAsync(ctx, w =>
        {
            w.WriteStartArray();
            foreach (var f in emu.Faults.All) f.Write(w);
            w.WriteEndArray();
        })));
        c.MapDelete("/faults", ctx => Handle(ctx, () => { emu.Faults.Clear(); return Ok(ctx); }));
        c.MapDelete("/faults/{id}", ctx => Handle(ctx, () =>
        {
            string id = (string)ctx.Request.RouteValues["id"]!;
            if (!emu.Faults.Remove(id)) throw new ApiException(404, $"Fault {id} not found");
            return Ok(ctx);
        }));

        c.MapPost("/ws-faults", ctx => Handle(ctx, async () =>
        {
            var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
            int? every = Req.OptInt(body, "drop_every_ms");
            int? frames = Req.OptInt(body, "drop_after_frames");
            string? first = Req.OptString(body, "first_frame");
            int? firstBytes = Req.OptInt(body, "first_frame_bytes");
            if (every is null && frames is null && first is null && firstBytes is null)
                throw new Req.BadRequest("drop_every_ms, drop_after_frames, first_frame or first_frame_bytes is required");
            if (firstBytes is < 1 or > 256 * 1024 * 1024) throw new Req.BadRequest("first_frame_bytes must be between 1 and 268435456");
            if (every is < 1) throw new Req.BadRequest("drop_every_ms must be at least 1");
            if (frames is < 1) throw new Req.BadRequest("drop_after_frames must be at least 1");
            emu.WsFaults.Current = new WsFaultSettings(every, frames, first, firstBytes);
            await Ok(ctx);
        }));
        c.MapDelete("/ws-faults", ctx => Handle(ctx, () => { emu.WsFaults.Current = null; return Ok(ctx); }));

        c.MapPost("/options", ctx => Handle(ctx, async () =>
        {
            var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
            // Validate everything before changing anything, so a bad request changes nothing.
            bool? wrap = Req.OptBool(body, "wrap_lists");
            bool? partial = Req.OptBool(body, "partial_create_response");
            bool? ws = Req.OptBool(body, "logs_websocket");
            double? speed = Req.OptDouble(body, "speed");
            string? archive = OneOf(body, "log_archive", EmulatorOptions.LogArchiveModes);
            string? reply = OneOf(body, "action_reply", EmulatorOptions.ActionReplies);
            string? form = OneOf(body, "pipeline_trigger_form", EmulatorOptions.TriggerForms);
            if (speed is { } s && (!(s > 0) || double.IsInfinity(s))) throw new Req.BadRequest("speed must be a positive number");
            if (wrap is { } a) emu.Options.WrapLists = a;
            if (partial is { } b) emu.Options.PartialCreateResponse = b;
            if (ws is { } d) emu.Options.LogsWebsocket = d;
            if (speed is { } e) emu.Options.Speed = e;
            if (archive is not null) emu.Options.LogArchive = archive;
            if (reply is not null) emu.Options.ActionReply = reply;
            if (form is not null) emu.Options.PipelineTriggerForm = form;
            await WriteOptions(ctx, emu);
        }));
        c.MapGet("/options", ctx => Handle(ctx, () => WriteOptions(ctx, emu)));

        c.MapPost("/clusters", ctx => Handle(ctx, async () =>
        {
            var body = await Req.ReadJsonAsync(ctx);
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("clusters", out var inner)) body = inner;
            if (body.ValueKind != JsonValueKind.Array) throw new Req.BadRequest("body must be an array of clusters (or {\"clusters\": [...]})");
            List<Cluster> clusters;
            try { clusters = body.Deserialize<List<Cluster>>(EmulatorConfig.SnakeCase) ?? []; }
            catch (JsonException e) { throw new Req.BadRequest("clusters: " + e.Message); }
            if (EmulatorConfig.ValidateClusters(clusters) is { } err) throw new Req.BadRequest(err);
            emu.Clusters.Replace(clusters);
            await Json.WriteBytesAsync(ctx, emu.Clusters.BareJson);
        }));
        c.MapGet("/clusters", ctx => Handle(ctx, () => Json.WriteBytesAsync(ctx, emu.Clusters.BareJson)));

        c.MapPost("/reset", ctx => Handle(ctx, () => { emu.Reset(); return Ok(ctx); }));
        c.MapPost("/shutdown", ctx => Handle(ctx, async () =>
        {
            await Ok(ctx);
            await ctx.Response.CompleteAsync();
            ctx.RequestServices.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        }));

        MapState(c, emu);
        MapDeviceLogins(c, emu);
        MapDatasetStore(c, emu);
    }

    static string? OneOf(JsonElement body, string field, string[] allowed)
    {
        string? value = Req.OptString(body, field);
        if (value is null) return null;
        value = value.Trim().ToLowerInvariant();
        return allowed.Contains(value) ? value : throw new Req.BadRequest($"{field} must be one of {string.Join(", ", allowed)}");
    }

    static Task WriteOptions(HttpContext ctx, Emulator emu) => Json.WriteAsync(ctx, w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("wrap_lists", emu.Options.WrapLists);
        w.WriteBoolean("partial_create_response", emu.Options.PartialCreateResponse);
        w.WriteBoolean("logs_websocket", emu.Options.LogsWebsocket);
        w.WriteNumber("speed", emu.Options.Speed);
        w.WriteString("log_archive", emu.Options.LogArchive);
        w.WriteString("action_reply", emu.Options.ActionReply);
        w.WriteString("pipeline_trigger_form", emu.Options.PipelineTriggerForm);
        w.WriteEndObject();
    });

    internal static Task Ok(HttpContext ctx) => Json.WriteAsync(ctx, w => { w.WriteStartObject(); w.WriteBoolean("ok", true); w.WriteEndObject(); });

    /// <summary>Control endpoints answer errors as JSON {"message"} like the API.</summary>
    internal static async Task Handle(HttpContext ctx, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (ApiException e) when (!ctx.Response.HasStarted)
        {
            await Json.ErrorAsync(ctx, e.Status, e.Field, e.Message, e.WithOkFalse);
        }
    }
}
