using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using StudioPS.Emulator.Auth;

namespace StudioPS.Emulator.Api;

/// <summary>
/// POST /api/datachain/jobs/files?team_name=T — multipart upload with one field "file".
/// The body is streamed to disk section by section; a file is "ready" only once its bytes all arrived.
/// </summary>
public static class UploadsApi
{
    public static void Map(WebApplication app, Emulator emu)
    {
        app.MapPost("/api/datachain/jobs/files", ctx => UploadAsync(ctx, emu));
    }

    static async Task UploadAsync(HttpContext ctx, Emulator emu)
    {
        string? team = ctx.Request.Query["team_name"];
        emu.Auth.Require(ctx, team, "JOB", Access.Write);

        // Files of any size are allowed: lift Kestrel's 30 MB default for this route only.
        var sizeFeature = ctx.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = null;

        if (!MediaTypeHeaderValue.TryParse(ctx.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new Req.BadRequest("file is required (send multipart/form-data with a field named file)");
        string boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value ?? "";
        if (boundary.Length == 0) throw new Req.BadRequest("file is required (the multipart boundary is missing)");

        var reader = new MultipartReader(boundary, ctx.Request.Body) { HeadersLengthLimit = 64 * 1024 };
        State.Upload? upload = null;
        while (await reader.ReadNextSectionAsync(ctx.RequestAborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, "file", StringComparison.Ordinal)
                || upload is not null)
            {
                // Other fields (and a second "file") are read past so the body is consumed, not stored.
                await section.Body.CopyToAsync(Stream.Null, ctx.RequestAborted);
                continue;
            }
            string fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value
                ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value
                ?? "file";
            fileName = Path.GetFileName(fileName.Replace('\\', '/'));
            if (fileName.Length == 0) fileName = "file";
            upload = emu.Jobs.NewUpload(team!, fileName, emu.DataDir);
            await StoreAsync(ctx, upload, section.Body);
        }
        if (upload is null) throw new Req.BadRequest("file is required");
        await Json.WriteAsync(ctx, w => upload.Write(w, withTeam: false));
    }

    static async Task StoreAsync(HttpContext ctx, State.Upload upload, Stream body)
    {
        try
        {
            await using (var file = new FileStream(upload.StoredPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), ctx.RequestAborted);
                    upload.Size += read;
                }
            }
            upload.State = "ready";
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client went away mid-body: keep a "failed" record for tests, never a partial "ready" file.
            upload.State = "failed";
            upload.Error = "Upload interrupted: " + e.Message;
            try { File.Delete(upload.StoredPath); }
            catch (IOException) { }
            // The connection is unusable mid-body anyway; aborting makes the request end as "aborted".
            ctx.Abort();
            throw new OperationCanceledException("upload aborted", e, ctx.RequestAborted);
        }
    }
}
