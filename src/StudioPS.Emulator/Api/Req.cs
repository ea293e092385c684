using System.Globalization;
using System.Text.Json;

namespace StudioPS.Emulator;

/// <summary>Request parsing helpers shared by the API handlers and the control API.</summary>
public static class Req
{
    public sealed class BadRequest(string message) : ApiException(400, message);

    static readonly JsonDocumentOptions DocOptions = new() { AllowTrailingCommas = false, MaxDepth = 64 };

    /// <summary>Reads a JSON request body; an empty body is an empty object.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpContext ctx)
    {
        // API bodies are small; reading them whole lets an empty body mean "no fields".
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        if (buffer.Length > MaxJsonBody) throw new ApiException(413, "Request body too large");
        var bytes = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty) return EmptyObject;
        try
        {
            using var doc = JsonDocument.Parse(bytes, DocOptions);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new BadRequest("Request body is not valid JSON: " + e.Message);
        }
    }

    const int MaxJsonBody = 16 * 1024 * 1024;

    public static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static JsonElement RequireObject(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new BadRequest("Request body must be a JSON object");

    static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        return obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value)
            && value.ValueKind != JsonValueKind.Null;
    }

    public static bool Has(JsonElement obj, string name) => TryGet(obj, name, out _);

    public static string? OptString(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new BadRequest($"{name} must be a string"),
        };
    }

    public static int? OptInt(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)) return i;
        if (v.ValueKind == JsonValueKind.String
            && int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int j))
            return j;
        throw new BadRequest($"{name} must be an integer");
    }

    public static double? OptDouble(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number) return v.GetDouble();
        if (v.ValueKind == JsonValueKind.String
            && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            return d;
        throw new BadRequest($"{name} must be a number");
    }

    public static bool? OptBool(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(v.GetString(), out bool b) => b,
            _ => throw new BadRequest($"{name} must be a boolean"),
        };
    }

    /// <summary>team_name of a JSON POST: the body's (documented), else the query string's (tolerated).</summary>
    public static string? BodyTeam(HttpContext ctx, JsonElement body)
    {
        string? team = OptString(body, "team_name");
        if (string.IsNullOrWhiteSpace(team)) team = ctx.Request.Query["team_name"];
        return string.IsNullOrWhiteSpace(team) ? null : team;
    }

    /// <summary>A boolean query parameter: "true"/"1"/"yes" are true.</summary>
    public static bool QueryFlag(HttpContext ctx, string name)
    {
        string? s = ctx.Request.Query[name];
        return s is not null && (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1" || s.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }

    public static int? QueryInt(HttpContext ctx, string name, int min)
    {
        string? s = ctx.Request.Query[name];
        if (string.IsNullOrEmpty(s)) return null;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw new BadRequest($"{name} must be an integer");
        if (v < min) throw new BadRequest($"{name} must be at least {min}");
        return v;
    }

    /// <summary>A filter that may repeat (?status=A&amp;status=B) or be comma-separated; upper-cased.</summary>
    public static HashSet<string>? QueryList(HttpContext ctx, string name)
    {
        var values = ctx.Request.Query[name];
        if (values.Count == 0) return null;
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var v in values)
            foreach (var part in (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                set.Add(part.ToUpperInvariant());
        return set.Count == 0 ? null : set;
    }
}
