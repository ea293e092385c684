using System.Text.Json;
using StudioPS.Emulator.Auth;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Api;

/// <summary>
/// /api/datachain/datasets (list, edit, remove), datasets/info, datasets/dataset_job_versions, datasets/export,
/// datasets/export-status as the official client calls them; and the parts host: /export-parts/{export}/{part},
/// reached under another host name than Studio's, answering 404 until the part is written.
/// </summary>
public static class DatasetsApi
{
    public const string PartsPath = "/export-parts";

    public static void Map(WebApplication app, Emulator emu)
    {
        app.MapGet("/api/datachain/datasets", ctx => ListAsync(ctx, emu));
        app.MapPost("/api/datachain/datasets", ctx => EditAsync(ctx, emu));
        app.MapDelete("/api/datachain/datasets", ctx => RemoveAsync(ctx, emu));
        app.MapGet("/api/datachain/datasets/info", ctx => InfoAsync(ctx, emu));
        app.MapGet("/api/datachain/datasets/dataset_job_versions", ctx => JobVersionsAsync(ctx, emu));
        app.MapGet("/api/datachain/datasets/export", ctx => ExportAsync(ctx, emu));
        app.MapGet("/api/datachain/datasets/export-status", ctx => ExportStatusAsync(ctx, emu));
        app.MapGet(PartsPath + "/{export:int}/{part:int}", ctx => PartAsync(ctx, emu));
    }

    static async Task ListAsync(HttpContext ctx, Emulator emu)
    {
        string? team = ctx.Request.Query["team_name"];
        emu.Auth.Require(ctx, team, "DATASET", Access.Read);
        string? prefix = ctx.Request.Query["prefix"];
        bool removed = Req.QueryFlag(ctx, "include_removed");
        bool wrap = emu.Options.WrapLists;
        await Json.WriteAsync(ctx, w =>
        {
            if (wrap) { w.WriteStartObject(); w.WritePropertyName("datasets"); }
            w.WriteStartArray();
            lock (emu.Datasets.Gate)
            {
                foreach (var d in emu.Datasets.Of(team!))
                {
                    if (d.Removed && !removed) continue;
                    if (!string.IsNullOrEmpty(prefix) && !d.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
                    Write(w, d, removed, info: false);
                }
            }
            w.WriteEndArray();
            if (wrap) w.WriteEndObject();
        });
    }

    static async Task InfoAsync(HttpContext ctx, Emulator emu)
    {
        string? team = ctx.Request.Query["team_name"];
        emu.Auth.Require(ctx, team, "DATASET", Access.Read);
        bool removed = Req.QueryFlag(ctx, "include_removed");
        string ns = RequiredQuery(ctx, "namespace"), project = RequiredQuery(ctx, "project"), name = RequiredQuery(ctx, "name");
        StoredDataset? d;
        lock (emu.Datasets.Gate) d = emu.Datasets.Find(team!, ns, project, name);
        if (d is null || (d.Removed && !removed)) throw new ApiException(404, "Dataset not found");
        await Json.WriteAsync(ctx, w =>
        {
            lock (emu.Datasets.Gate) Write(w, d, removed, info: true);
        });
    }

    /// <summary>
    /// The start of every dataset write: the token, the JSON body, its team (authorized to write
    /// datasets) and the dataset it names.
    /// </summary>
    static async Task<(JsonElement Body, string Team, string Namespace, string Project, string Name)> ReadWriteRequestAsync(HttpContext ctx, Emulator emu)
    {
        var grant = emu.Auth.Authenticate(ctx);
        var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
        string? team = Req.BodyTeam(ctx, body);
        if (string.IsNullOrWhiteSpace(team)) throw new Req.BadRequest("team_name is required");
        emu.Auth.Authorize(ctx, grant, team, "DATASET", Access.Write);
        return (body, team, RequiredBody(body, "namespace"), RequiredBody(body, "project"), RequiredBody(body, "name"));
    }

    static async Task EditAsync(HttpContext ctx, Emulator emu)
    {
        var (body, team, ns, project, name) = await ReadWriteRequestAsync(ctx, emu);
        string? newName = Req.OptString(body, "new_name");
        string? description = Req.OptString(body, "description");
        List<string>? attrs = null;
        if (body.TryGetProperty("attrs", out var a) && a.ValueKind != JsonValueKind.Null)
        {
            if (a.ValueKind != JsonValueKind.Array || a.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
                throw new Req.BadRequest("attrs must be a list of strings");
            attrs = a.EnumerateArray().Select(x => x.GetString()!).ToList();
        }
        if (newName is not null && !System.Text.RegularExpressions.Regex.IsMatch(newName, "^[A-Za-z0-9_\\-]+$"))
            throw new Req.BadRequest("new_name may hold letters, digits, '_' and '-' only");
        StoredDataset? d;
        lock (emu.Datasets.Gate)
        {
            d = emu.Datasets.Find(team, ns, project, name);
            if (d is null || d.Removed) throw new ApiException(404, "Dataset not found");
            if (newName is not null && newName != name && emu.Datasets.Find(team, ns, project, newName) is { Removed: false })
                throw new ApiException(409, $"Dataset {ns}.{project}.{newName} already exists");
            if (newName is not null) d.Name = newName;
            if (description is not null) d.Description = description;
            if (attrs is not null) d.Attrs = attrs;
        }
        await Json.WriteAsync(ctx, w =>
        {
            lock (emu.Datasets.Gate) Write(w, d, false, info: false);
        });
    }

    static async Task RemoveAsync(HttpContext ctx, Emulator emu)
    {
        var (body, team, ns, project, name) = await ReadWriteRequestAsync(ctx, emu);
        string? version = Req.OptString(body, "version");
        bool force = Req.OptBool(body, "force") ?? false;
        lock (emu.Datasets.Gate)
        {
            var d = emu.Datasets.Find(team, ns, project, name);
            if (d is null || d.Removed) throw new ApiException(404, "Dataset not found");
            var targets = version is null
                ? d.Versions.Where(v => v.Status != DatasetVersionCode.Removed).ToList()
                : d.Versions.Where(v => v.Version == version && v.Status != DatasetVersionCode.Removed).ToList();
            if (version is not null && targets.Count == 0) throw new ApiException(404, $"Dataset version {version} not found");
            if (!force && targets.FirstOrDefault(v => v.Status is DatasetVersionCode.Created or DatasetVersionCode.Pending) is { } busy)
                throw new ApiException(409, $"Dataset version {busy.Version} is still being created; use force to remove it");
            foreach (var v in targets) v.Status = DatasetVersionCode.Removed;
            if (version is null) d.Removed = true;
        }
        await Json.MessageAsync(ctx, version is null ? "Dataset removed" : "Dataset version removed");
    }

    static async Task JobVersionsAsync(HttpContext ctx, Emulator emu)
    {
        string? team = ctx.Request.Query["team_name"];
        emu.Auth.Require(ctx, team, "DATASET", Access.Read);
        string jobId = RequiredQuery(ctx, "job_id");
        var job = emu.Jobs.Find(jobId);
        if (job is null || job.Team != team) throw new ApiException(404, "Job not found");
        var versions = emu.Datasets.VersionsOfJob(team!, jobId);
        await Json.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("dataset_versions");
            foreach (var (dataset, version) in versions)
            {
                w.WriteStartObject();
                w.WriteString("dataset_name", dataset);
                w.WriteString("version", version);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static async Task ExportAsync(HttpContext ctx, Emulator emu)
    {
        string? team = ctx.Request.Query["team_name"];
        emu.Auth.Require(ctx, team, "DATASET", Access.Read);
        string ns = RequiredQuery(ctx, "namespace"), project = RequiredQuery(ctx, "project"), name = RequiredQuery(ctx, "name");
        string version = RequiredQuery(ctx, "version");
        DatasetExport export;
        lock (emu.Datasets.Gate)
        {
            var d = emu.Datasets.Find(team!, ns, project, name);
            if (d is null || d.Removed) throw new ApiException(404, "Dataset not found");
            var v = d.Versions.FirstOrDefault(x => x.Version == version && x.Status != DatasetVersionCode.Removed)
                ?? throw new ApiException(404, $"Dataset version {version} not found");
            if (v.Status != DatasetVersionCode.Complete) throw new Req.BadRequest($"Dataset version {version} is not complete");
            export = emu.Datasets.StartExport(team!, d, v);
        }
        // Signed URLs point at another host name than the one the client used: another origin.
        string host = ctx.Request.Host.Host is "127.0.0.1" ? "localhost" : "127.0.0.1";
        string origin = $"{ctx.Request.Scheme}://{host}:{ctx.Request.Host.Port}";
        long expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        await Json.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("export_id", export.Id);
            w.WriteStartArray("signed_urls");
            for (int i = 0; i < export.NumFiles; i++)
                w.WriteStringValue($"{origin}{PartsPath}/{export.Id}/{i}?X-Expires={expires}&X-Signature={export.Signature}");
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static async Task ExportStatusAsync(HttpContext ctx, Emulator emu)
    {
        string? team = ctx.Request.Query["team_name"];
        emu.Auth.Require(ctx, team, "DATASET", Access.Read);
        string raw = RequiredQuery(ctx, "export_id");
        if (!int.TryParse(raw, out int id)) throw new Req.BadRequest("export_id must be an integer");
        var export = emu.Datasets.FindExport(id);
        if (export is null || export.Team != team) throw new ApiException(404, "Export not found");
        var now = DateTime.UtcNow;
        string status = export.Status(now, () => emu.Datasets.IsRemoved(export));
        await Json.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", status);
            w.WriteNumber("files_done", export.FilesDone(now));
            w.WriteNumber("num_files", export.NumFiles);
            if (status == "failed") w.WriteString("error_message", "Export worker ran out of disk space");
            w.WriteEndObject();
        });
    }

    /// <summary>The parts host: like a storage bucket, no Studio auth, a signature in the URL, 404 until written.</summary>
    static async Task PartAsync(HttpContext ctx, Emulator emu)
    {
        emu.Datasets.RecordPartsRequest(ctx.Request.Headers.ContainsKey("Authorization"));
        int id = int.Parse((string)ctx.Request.RouteValues["export"]!);
        int part = int.Parse((string)ctx.Request.RouteValues["part"]!);
        var export = emu.Datasets.FindExport(id);
        if (export is null || part < 0 || part >= export.NumFiles || ctx.Request.Query["X-Signature"] != export.Signature)
        {
            ctx.Response.StatusCode = 403;
            ctx.Response.ContentType = "application/xml";
            await ctx.Response.WriteAsync("<Error><Code>AccessDenied</Code></Error>");
            return;
        }
        if (emu.Datasets.IsRemoved(export) || part >= export.FilesDone(DateTime.UtcNow))
        {
            ctx.Response.StatusCode = 404;
            ctx.Response.ContentType = "application/xml";
            await ctx.Response.WriteAsync("<Error><Code>NoSuchKey</Code></Error>");
            return;
        }
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/octet-stream";
        long size = export.PartSize(part);
        var seed = export.PartSeed(part);
        // A stored object's length is known: storage sends it as Content-Length, not in chunks.
        long length = Lz4FrameWriter.FrameLength(ParquetPart.Length(size, seed));
        ctx.Response.ContentLength = length;
        // The first request for a part waits until it is made (about 0.2 s for 128 MiB); storage's first byte comes sooner.
        var kept = emu.Datasets.Parts.GetOrMake(seed, size, length, () => MakePart(size, seed, length));
        if (kept is null)
        {
            // More than the parts host keeps: made again as it is sent.
            await ParquetPart.WriteAsync(new Lz4FrameWriter(ctx.Response.Body), size, seed, ctx.RequestAborted);
            return;
        }
        var bytes = await kept.WaitAsync(ctx.RequestAborted);
        for (int at = 0; at < bytes.Length; at += PartWrite)
            await ctx.Response.Body.WriteAsync(bytes.AsMemory(at, Math.Min(PartWrite, bytes.Length - at)), ctx.RequestAborted);
    }

    /// <summary>
    /// What one write of a kept part hands to the server, whose output buffer then holds no more than this. Sending
    /// a 1 GiB export in 256 KiB writes took the emulator 0.55-0.9 s of CPU against 0.7-1.1 s in 64 KiB writes.
    /// </summary>
    const int PartWrite = 256 * 1024;

    /// <summary>A part's whole frame, as <see cref="ParquetPart"/> and <see cref="Lz4FrameWriter"/> send it.</summary>
    static byte[] MakePart(long size, ulong seed, long length)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)length));
        using var stream = new MemoryStream(bytes, writable: true);
        ParquetPart.WriteAsync(new Lz4FrameWriter(stream), size, seed, CancellationToken.None).GetAwaiter().GetResult();
        return stream.Position == length ? bytes : throw new InvalidOperationException($"A part's frame is {stream.Position} bytes, not {length}.");
    }

    static string RequiredQuery(HttpContext ctx, string name)
    {
        string? value = ctx.Request.Query[name];
        return string.IsNullOrWhiteSpace(value) ? throw new Req.BadRequest($"{name} is required") : value;
    }

    static string RequiredBody(JsonElement body, string name)
    {
        string? value = Req.OptString(body, name);
        return string.IsNullOrWhiteSpace(value) ? throw new Req.BadRequest($"{name} is required") : value;
    }

    /// <summary>A dataset as the service sends it; info adds schema, query_script, job_id and team_id.</summary>
    public static void Write(Utf8JsonWriter w, StoredDataset d, bool includeRemoved, bool info)
    {
        w.WriteStartObject();
        w.WriteNumber("id", d.Id);
        w.WriteString("name", d.Name);
        w.WriteString("description", d.Description);
        w.WriteStartArray("attrs");
        foreach (var a in d.Attrs) w.WriteStringValue(a);
        w.WriteEndArray();
        w.WriteString("uuid", d.Uuid);
        w.WriteStartObject("project");
        w.WriteNumber("id", d.Id * 10 + 1);
        w.WriteString("uuid", Guid.Empty.ToString());
        w.WriteString("name", d.Project);
        w.WriteString("descr", "");
        w.WriteString("created_at", Json.Time(DateTime.UnixEpoch));
        w.WriteStartObject("namespace");
        w.WriteNumber("id", d.Id * 10 + 2);
        w.WriteString("uuid", Guid.Empty.ToString());
        w.WriteString("name", d.Namespace);
        w.WriteString("descr", "");
        w.WriteString("created_at", Json.Time(DateTime.UnixEpoch));
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("versions");
        foreach (var v in d.Versions)
        {
            if (v.Status == DatasetVersionCode.Removed && !includeRemoved) continue;
            w.WriteStartObject();
            w.WriteNumber("id", v.Id);
            w.WriteString("uuid", v.Uuid);
            w.WriteNumber("dataset_id", d.Id);
            w.WriteString("version", v.Version);
            w.WriteNumber("status", v.Status);
            w.WriteString("created_at", Json.Time(v.CreatedAt));
            Json.WriteTime(w, "finished_at", v.FinishedAt);
            w.WriteString("error_message", v.ErrorMessage ?? "");
            w.WriteString("error_stack", "");
            w.WriteNumber("num_objects", v.Rows);
            w.WriteNumber("size", v.Size);
            if (v.JobId is not null) w.WriteString("job_id", v.JobId); else w.WriteNull("job_id");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (info)
        {
            w.WriteStartObject("schema");
            w.WriteString("id", "int");
            w.WriteString("value", "str");
            w.WriteEndObject();
            w.WriteNull("feature_schema");
            w.WriteString("query_script", "");
            var latest = d.Versions.LastOrDefault();
            if (latest?.JobId is not null) w.WriteString("job_id", latest.JobId); else w.WriteNull("job_id");
            w.WriteNumber("team_id", 1);
        }
        w.WriteEndObject();
    }
}
