using System.Text.Json;
using StudioPS.Emulator.Api;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Control;

/// <summary>
/// /_emulator/stored-datasets: add datasets and versions directly (sizes, part counts, export pace, a failing
/// export) and read the store; /_emulator/export-parts: what reached the parts host, and the bytes of parts it keeps.
/// </summary>
public static partial class ControlApi
{
    static void MapDatasetStore(RouteGroupBuilder c, Emulator emu)
    {
        c.MapPost("/stored-datasets", ctx => Handle(ctx, async () =>
        {
            var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
            string team = Req.OptString(body, "team") ?? emu.Config.DefaultTeam;
            if (!emu.Auth.TeamExists(team)) throw new Req.BadRequest($"team '{team}' does not exist");
            string name = Req.OptString(body, "name") ?? throw new Req.BadRequest("name is required");
            var parts = name.Split('.');
            if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace)) throw new Req.BadRequest("name must look like namespace.project.name");
            var versions = new List<(string Version, int Status, long? Size, int? Parts, double? DelayMs, bool Fails, long? Rows, string? Error)>();
            if (body.TryGetProperty("versions", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var v in list.EnumerateArray())
                {
                    string version = Req.OptString(v, "version") ?? throw new Req.BadRequest("every version needs a version");
                    int status = Req.OptInt(v, "status") ?? DatasetVersionCode.Complete;
                    int? partCount = Req.OptInt(v, "parts");
                    if (partCount is < 1 or > 1000) throw new Req.BadRequest("parts must be between 1 and 1000");
                    long? size = v.TryGetProperty("size", out var sz) && sz.ValueKind == JsonValueKind.Number ? sz.GetInt64() : null;
                    long? rows = v.TryGetProperty("rows", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64() : null;
                    versions.Add((version, status, size, partCount, Req.OptDouble(v, "part_delay_ms"), Req.OptBool(v, "export_fails") ?? false, rows,
                        Req.OptString(v, "error_message")));
                }
            }
            await Json.WriteAsync(ctx, w =>
            {
                lock (emu.Datasets.Gate)
                {
                    var d = emu.Datasets.Find(team, parts[0], parts[1], parts[2]) ?? emu.Datasets.Add(team, parts[0], parts[1], parts[2]);
                    d.Removed = false;
                    if (Req.OptString(body, "description") is { } description) d.Description = description;
                    foreach (var v in versions)
                    {
                        var stored = emu.Datasets.AddVersion(d, v.Version, v.Status, null);
                        if (v.Size is { } size) stored.Size = size;
                        if (v.Parts is { } p) stored.Parts = p;
                        if (v.DelayMs is { } delay) stored.PartDelayMs = delay;
                        if (v.Rows is { } rows) stored.Rows = rows;
                        stored.ExportFails = v.Fails;
                        stored.ErrorMessage = v.Error;
                    }
                    DatasetsApi.Write(w, d, includeRemoved: true, info: false);
                }
            });
        }));

        c.MapGet("/stored-datasets", ctx => Handle(ctx, () => Json.WriteAsync(ctx, w =>
        {
            string team = ctx.Request.Query["team"].FirstOrDefault() ?? emu.Config.DefaultTeam;
            w.WriteStartArray();
            lock (emu.Datasets.Gate)
                foreach (var d in emu.Datasets.Of(team))
                {
                    DatasetsApi.Write(w, d, includeRemoved: true, info: false);
                }
            w.WriteEndArray();
        })));

        c.MapGet("/export-parts", ctx => Handle(ctx, () => Json.WriteAsync(ctx, w =>
        {
            var (requests, withAuth) = emu.Datasets.PartsRequests;
            w.WriteStartObject();
            w.WriteNumber("requests", requests);
            w.WriteNumber("with_authorization", withAuth);
            w.WriteNumber("kept_bytes", emu.Datasets.Parts.KeptBytes);
            w.WriteEndObject();
        })));
    }
}
