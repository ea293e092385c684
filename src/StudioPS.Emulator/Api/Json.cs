using System.Globalization;
using System.Text.Json;

namespace StudioPS.Emulator;

/// <summary>Writing JSON responses straight to the response body (no intermediate strings).</summary>
public static class Json
{
    public const string ContentType = "application/json";

    /// <summary>Relaxed escaping: quotes and apostrophes in queries stay readable ('), as Python servers send them.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        SkipValidation = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>ISO-8601 UTC with a Z, as the API document shows.</summary>
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static void WriteTime(Utf8JsonWriter w, string name, DateTime? utc)
    {
        if (utc is { } t) w.WriteString(name, Time(t)); else w.WriteNull(name);
    }

    public static void WriteInt(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    public static Utf8JsonWriter Writer(HttpContext ctx) => new(ctx.Response.BodyWriter, WriterOptions);

    public static async Task WriteAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> write)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = ContentType;
        await using (var w = Writer(ctx))
            write(w);
        await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
    }

    public static Task WriteAsync(HttpContext ctx, Action<Utf8JsonWriter> write) => WriteAsync(ctx, 200, write);

    public static Task ErrorAsync(HttpContext ctx, int status, string field, string message, bool withOkFalse = false) =>
        WriteAsync(ctx, status, w =>
        {
            w.WriteStartObject();
            if (withOkFalse) w.WriteBoolean("ok", false);
            w.WriteString(field, message);
            w.WriteEndObject();
        });

    public static Task MessageAsync(HttpContext ctx, string message) =>
        WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        });

    /// <summary>
    /// The success answer of cancel, pause and resume in the shape the options ask for: the normal JSON, or
    /// what some servers send instead ({} , an empty body, plain text). The official client reads none of it.
    /// </summary>
    public static Task ActionReplyAsync(HttpContext ctx, string reply, Func<Task> normal)
    {
        switch (reply)
        {
            case "empty_object":
                return WriteAsync(ctx, 200, w => { w.WriteStartObject(); w.WriteEndObject(); });
            case "empty":
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentLength = 0;
                return Task.CompletedTask;
            case "text":
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                return ctx.Response.WriteAsync("OK", ctx.RequestAborted);
            default:
                return normal();
        }
    }

    /// <summary>Writes pre-serialized bytes (used for responses that rarely change, such as clusters).</summary>
    public static Task WriteBytesAsync(HttpContext ctx, byte[] body)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = ContentType;
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body, 0, body.Length, ctx.RequestAborted);
    }
}
