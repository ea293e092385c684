using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Http;
using StudioPS.Models;
using StudioPS.Rendering;

namespace StudioPS.Client;

/// <summary>Turns failed responses and transport exceptions into <see cref="StudioApiException"/>.</summary>
internal static class ErrorMapper
{
    private const int MaxMessageChars = 1000;
    private static readonly Regex HtmlTitle = new Regex(@"<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    private static readonly Regex HtmlTag = new Regex(@"<[^>]+>", RegexOptions.CultureInvariant);
    private static readonly Regex Spaces = new Regex(@"\s+", RegexOptions.CultureInvariant);

    public static StudioErrorKind KindOf(HttpStatusCode status)
    {
        var code = (int)status;
        switch (code)
        {
            case 400: case 422: return StudioErrorKind.BadRequest;
            case 401: return StudioErrorKind.Unauthorized;
            case 403: return StudioErrorKind.Forbidden;
            case 404: case 410: return StudioErrorKind.NotFound;
            case 409: return StudioErrorKind.Conflict;
            case 408: case 504: return StudioErrorKind.Timeout;
            case 429: return StudioErrorKind.RateLimited;
        }
        if (code >= 500) return StudioErrorKind.ServerError;
        return StudioErrorKind.HttpError;
    }

    /// <summary>The server's own words from an error body: JSON <c>message</c>, <c>detail</c> or <c>error</c>, an HTML title, or plain text.</summary>
    public static string? ServerMessage(string? body, string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        var text = body!.Trim();
        if (text.StartsWith("{", StringComparison.Ordinal) || text.StartsWith("[", StringComparison.Ordinal))
        {
            try
            {
                using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64, AllowTrailingCommas = true });
                var found = FindMessage(doc.RootElement);
                if (found != null) return Clip(found);
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to plain text.
            }
        }
        if ((mediaType != null && mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
            || text.StartsWith("<", StringComparison.Ordinal))
        {
            var title = HtmlTitle.Match(text);
            var plain = title.Success ? title.Groups[1].Value : HtmlTag.Replace(text, " ");
            plain = Spaces.Replace(WebUtility.HtmlDecode(plain), " ").Trim();
            return plain.Length == 0 ? null : Clip(plain);
        }
        return Clip(Spaces.Replace(text, " "));
    }

    private static string? FindMessage(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                var inner = item.ValueKind == JsonValueKind.String ? JsonText.SafeString(item) : FindMessage(item);
                if (!string.IsNullOrEmpty(inner)) return inner;
            }
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var name in new[] { "message", "detail", "error", "errors", "msg" })
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
                var value = property.Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        var s = JsonText.SafeString(value);
                        if (!string.IsNullOrWhiteSpace(s)) return s;
                        break;
                    case JsonValueKind.Object:
                    case JsonValueKind.Array:
                        var nested = FindMessage(value);
                        if (nested != null) return nested;
                        var raw = value.GetRawText();
                        if (raw.Length > 2) return raw;
                        break;
                }
            }
        }
        // Field errors in the DRF shape: {"workers": ["must be at most 4"]}.
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.String) return property.Name + ": " + JsonText.SafeString(item);
            }
        }
        return null;
    }

    private static string Clip(string text) =>
        text.Length <= MaxMessageChars ? text : text.Substring(0, MaxMessageChars) + "...";

    public static async Task<StudioApiException> FromResponseAsync(HttpResponseMessage response, string method, string path,
        Redactor redactor, CancellationToken cancellationToken)
    {
        string? body = null;
        try
        {
            // The time-out handler has read it already, within the call's time-out and the size cap.
            await HttpBodies.BufferPrefixAsync(response, HttpBodies.MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            body = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 65536));
        }
        catch (Exception e) when (e is IOException || e is HttpRequestException)
        {
            // The status alone still says what happened.
        }
        var serverMessage = ServerMessage(body, response.Content.Headers.ContentType?.MediaType);
        serverMessage = serverMessage == null ? null : DisplayText.Escape(redactor.Redact(serverMessage));
        var kind = KindOf(response.StatusCode);
        var retryAfter = RetryPolicy.ParseRetryAfter(
            response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null, DateTimeOffset.UtcNow);
        var text = new StringBuilder();
        text.Append(Describe(kind)).Append(" (").Append((int)response.StatusCode);
        if (!string.IsNullOrEmpty(response.ReasonPhrase)) text.Append(' ').Append(DisplayText.Escape(response.ReasonPhrase));
        text.Append(") from ").Append(method).Append(' ').Append(path);
        text.Append(serverMessage != null ? ": " + serverMessage : ".");
        if (kind == StudioErrorKind.RateLimited && retryAfter.HasValue)
            text.Append(" The server asks to wait ").Append(Math.Ceiling(retryAfter.Value.TotalSeconds)).Append(" s.");
        // A server error or time-out on a write may have happened after the server acted.
        var unknown = (kind == StudioErrorKind.ServerError || kind == StudioErrorKind.Timeout) && !RetryPolicy.IsIdempotent(new HttpMethod(method));
        if (unknown)
            text.Append(" The request may or may not have been carried out; check before sending it again.");
        return new StudioApiException(kind, redactor.Redact(text.ToString()), response.StatusCode, serverMessage, method, path,
            outcomeUnknown: unknown, retryAfter: retryAfter);
    }

    public static StudioApiException FromException(Exception error, string method, string path, string host, Redactor redactor)
    {
        var write = !RetryPolicy.IsIdempotent(new HttpMethod(method));
        StudioErrorKind kind;
        string text;
        bool unknown;
        if (error is TimeoutException)
        {
            kind = StudioErrorKind.Timeout;
            text = $"{method} {path} timed out: {error.Message}";
            unknown = write;
        }
        else if (FindInner<AuthenticationException>(error) is AuthenticationException tls)
        {
            kind = StudioErrorKind.TlsFailure;
            text = $"The TLS handshake with {host} failed: {tls.Message} Check the server's certificate and the -BaseUri.";
            unknown = false;
        }
        else if (error is JsonException)
        {
            kind = StudioErrorKind.InvalidResponse;
            text = $"The response to {method} {path} is not the JSON Studio sends: {error.Message}";
            unknown = false;
        }
        else
        {
            kind = StudioErrorKind.ConnectionFailed;
            var refused = RetryPolicy.ServerCannotHaveActed(error);
            text = refused
                ? $"Could not connect to {host}: {Innermost(error).Message}. Check -BaseUri or DATACHAIN_STUDIO_URL and that the host is reachable."
                : $"The connection to {host} failed during {method} {path}: {Innermost(error).Message}";
            unknown = write && !refused;
        }
        if (unknown) text += " The request may or may not have been carried out; check before sending it again.";
        return new StudioApiException(kind, DisplayText.Escape(redactor.Redact(text)), null, null, method, path, unknown, null, error);
    }

    private static T? FindInner<T>(Exception error) where T : Exception
    {
        for (var e = error; e != null; e = e.InnerException)
            if (e is T match) return match;
        return null;
    }

    private static Exception Innermost(Exception error)
    {
        var e = error;
        while (e.InnerException != null) e = e.InnerException;
        return e;
    }

    private static string Describe(StudioErrorKind kind)
    {
        switch (kind)
        {
            case StudioErrorKind.BadRequest: return "Studio rejected the request";
            case StudioErrorKind.Unauthorized: return "Studio did not accept the token";
            case StudioErrorKind.Forbidden: return "Studio refused access";
            case StudioErrorKind.NotFound: return "Studio found no such resource";
            case StudioErrorKind.Conflict: return "Studio reported a conflict";
            case StudioErrorKind.RateLimited: return "Studio is limiting the request rate";
            case StudioErrorKind.ServerError: return "Studio had a server error";
            case StudioErrorKind.Timeout: return "Studio timed out";
            default: return "Studio answered with an error";
        }
    }
}
