using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>
/// Reads a job's <c>params</c> object into plain .NET values (string, long, double, bool, null; nested
/// values as their JSON text), so PowerShell shows them as they are. Anything but an object reads as null.
/// </summary>
internal sealed class JobParamsConverter : JsonConverter<Dictionary<string, object?>?>
{
    public override Dictionary<string, object?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return null;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
            values[property.Name] = Value(property.Value);
        return values;
    }

    private static object? Value(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String: return JsonText.SafeString(value);
            case JsonValueKind.Number: return value.TryGetInt64(out var whole) ? whole : (object)value.GetDouble();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Null: return null;
            default: return value.GetRawText();
        }
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, object?>? value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
