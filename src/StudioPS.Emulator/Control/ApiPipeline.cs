using Microsoft.AspNetCore.WebUtilities;
using StudioPS.Emulator.Auth;

namespace StudioPS.Emulator.Control;

/// <summary>
/// Wraps every /api request: records it in the request log, applies injected faults, accepts routes with
/// or without the trailing slash, and turns errors into JSON bodies. The control API (/_emulator) never
/// passes through here, so tests' own calls are neither logged nor faulted.
/// </summary>
public sealed class ApiPipeline(RequestDelegate next, Emulator emu, ILogger<ApiPipeline> logger)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        string path = ctx.Request.Path.Value ?? "";
        if (!IsApiPath(path))
        {
            await next(ctx);
            return;
        }

        long seq = emu.RequestLog.NextSeq();
        var time = DateTime.UtcNow;
        var info = Authenticator.Info(ctx);
        info.AuthScheme = Authenticator.SchemeForLog(ctx);
        string? queryTeam = ctx.Request.Query["team_name"];
        if (!string.IsNullOrEmpty(queryTeam)) info.Team = queryTeam;
        bool aborted = false;
        bool recorded = false;
        RequestRecord Record(int status) => new(
            seq, ctx.Request.Method, path, (ctx.Request.QueryString.Value ?? "").TrimStart('?'),
            status, info.AuthScheme, info.Team, ctx.Request.ContentLength, time, info.FaultId);
        if (ctx.WebSockets.IsWebSocketRequest)
        {
            info.RecordNow = status =>
            {
                recorded = true;
                emu.RequestLog.Add(Record(status));
            };
        }

        // Routes are mapped without the trailing slash; the documented paths carry one.
        if (path.Length > 1 && path.EndsWith('/')) ctx.Request.Path = path.TrimEnd('/');

        try
        {
            var fault = emu.Faults.Match(ctx.Request.Method, path);
            if (fault is null)
            {
                await RunApiAsync(ctx);
                return;
            }

            info.FaultId = fault.Id;
            if (fault.DelayMs > 0) await Task.Delay(fault.DelayMs, ctx.RequestAborted);
            // The API reads the body as usual until the cut-off, then the connection is gone mid-body.
            if (fault.AbortAfterBytes is { } cut) ctx.Request.Body = new CutOffStream(ctx.Request.Body, cut, ctx);
            bool replaces = fault.Abort || fault.Status is not null || fault.Body is not null || fault.Truncate;
            if (!replaces)
            {
                await RunApiAsync(ctx);
                return;
            }

            // Truncation needs the real body; a websocket handshake cannot be buffered, so it is faulted before.
            bool runHandler = (fault.After || fault.Truncate) && !ctx.WebSockets.IsWebSocketRequest;
            if (!runHandler)
            {
                aborted = await ApplyFaultAsync(ctx, fault, null);
                return;
            }

            var original = ctx.Response.Body;
            using var buffer = new MemoryStream();
            ctx.Response.Body = buffer;
            try
            {
                await RunApiAsync(ctx);
            }
            finally
            {
                ctx.Response.Body = original;
            }
            aborted = await ApplyFaultAsync(ctx, fault, buffer);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            aborted = true;
        }
        finally
        {
            if (!recorded) emu.RequestLog.Add(Record(aborted || info.Aborted ? 0 : ctx.Response.StatusCode));
        }
    }

    // /blobs/ is the archived-log store on the other host name: logged (with its auth scheme) and faultable too.
    static bool IsApiPath(string path) =>
        path.StartsWith("/api", StringComparison.OrdinalIgnoreCase) && (path.Length == 4 || path[4] == '/')
        || path.StartsWith("/blobs/", StringComparison.OrdinalIgnoreCase);

    async Task RunApiAsync(HttpContext ctx)
    {
        try
        {
            await next(ctx);
            if (!ctx.Response.HasStarted && ctx.Response.ContentType is null)
            {
                if (ctx.Response.StatusCode == 404)
                    await Json.ErrorAsync(ctx, 404, "detail", "Not found.");
                else if (ctx.Response.StatusCode == 405)
                    await Json.ErrorAsync(ctx, 405, "detail", $"Method \"{ctx.Request.Method}\" not allowed.");
            }
        }
        catch (Exception) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client disconnected (or a fault aborted it): nobody is left to answer.
            Authenticator.Info(ctx).Aborted = true;
        }
        catch (ApiException e)
        {
            if (ctx.Response.HasStarted) throw;
            ctx.Response.Clear();
            await Json.ErrorAsync(ctx, e.Status, e.Field, e.Message, e.WithOkFalse);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error in {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
            if (ctx.Response.HasStarted) throw;
            ctx.Response.Clear();
            await Json.ErrorAsync(ctx, 500, "detail", "Internal emulator error: " + e.Message);
        }
    }

    /// <summary>Sends the fault's response in place of the real one. Returns true when the connection was reset.</summary>
    static async Task<bool> ApplyFaultAsync(HttpContext ctx, Fault fault, MemoryStream? realBody)
    {
        if (fault.Abort)
        {
            ctx.Abort();
            return true;
        }

        if (fault.Truncate && realBody is not null)
        {
            // A complete HTTP exchange whose body is cut: the client's parser, not its transport, must notice.
            int half = (int)(realBody.Length / 2);
            if (fault.Status is { } st) ctx.Response.StatusCode = st;
            if (fault.RetryAfter is not null) ctx.Response.Headers.RetryAfter = fault.RetryAfter;
            ctx.Response.ContentLength = half;
            await ctx.Response.Body.WriteAsync(realBody.GetBuffer().AsMemory(0, half), ctx.RequestAborted);
            return false;
        }

        int realStatus = ctx.Response.StatusCode;
        string? realType = ctx.Response.ContentType;
        ctx.Response.Clear();
        int status = fault.Status ?? (realBody is not null ? realStatus : 200);
        ctx.Response.StatusCode = status;
        if (fault.RetryAfter is not null) ctx.Response.Headers.RetryAfter = fault.RetryAfter;
        if (fault.Location is not null) ctx.Response.Headers.Location = fault.Location;

        if (fault.Body is not null)
        {
            ctx.Response.ContentType = fault.ContentType ?? (LooksLikeJson(fault.Body) ? Json.ContentType : "text/plain; charset=utf-8");
            await WriteFaultBodyAsync(ctx, fault);
        }
        else if (status < 400 && realBody is not null)
        {
            // An "after" fault that only changes the status keeps the real body.
            ctx.Response.ContentType = fault.ContentType ?? realType;
            ctx.Response.ContentLength = realBody.Length;
            await ctx.Response.Body.WriteAsync(realBody.GetBuffer().AsMemory(0, (int)realBody.Length), ctx.RequestAborted);
        }
        else if (status >= 400)
        {
            string reason = ReasonPhrases.GetReasonPhrase(status);
            await Json.ErrorAsync(ctx, status, "message", reason.Length > 0 ? reason : $"Error {status}");
        }
        return false;
    }

    /// <summary>The fault's body, repeated body_repeat times, byte by byte with trickle_ms pauses when asked.</summary>
    static async Task WriteFaultBodyAsync(HttpContext ctx, Fault fault)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(fault.Body!);
        for (int r = 0; r < fault.BodyRepeat; r++)
        {
            if (fault.TrickleMs <= 0)
            {
                await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
                continue;
            }
            for (int i = 0; i < bytes.Length; i++)
            {
                await ctx.Response.Body.WriteAsync(bytes.AsMemory(i, 1), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                await Task.Delay(fault.TrickleMs, ctx.RequestAborted);
            }
        }
    }

    static bool LooksLikeJson(string body)
    {
        var t = body.AsSpan().TrimStart();
        return t.Length > 0 && (t[0] == '{' || t[0] == '[');
    }
}
