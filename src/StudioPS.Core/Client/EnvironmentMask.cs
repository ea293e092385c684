using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace StudioPS.Client;

/// <summary>
/// Masks a job's environment values in JSON text before it is traced: an <c>environment</c> (or
/// <c>env</c>) property at any depth, as KEY=VALUE lines or as an object, keeps its keys and loses
/// its values. Text that is not JSON is returned as it is.
/// </summary>
internal static class EnvironmentMask
{
    public static string MaskJson(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '[')) return text;
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64, AllowTrailingCommas = true });
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                Write(writer, doc.RootElement, masked: false);
            }
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is ArgumentException)
        {
            // Not JSON after all, or JSON too deep to rewrite: nothing in it can be told apart, so none of it is shown.
            return trimmed.IndexOf("environment", StringComparison.OrdinalIgnoreCase) >= 0 ? "(body not shown: it may hold environment values)" : text;
        }
    }

    /// <summary>KEY=VALUE lines with each value replaced by the mask.</summary>
    public static string MaskLines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var equals = lines[i].IndexOf('=');
            lines[i] = equals < 0 ? (lines[i].Trim().Length == 0 || lines[i].TrimStart().StartsWith("#", StringComparison.Ordinal) ? lines[i] : Redactor.Mask)
                                  : lines[i].Substring(0, equals + 1) + Redactor.Mask;
        }
        return string.Join("\n", lines);
    }

    private static bool IsEnvironment(string name) =>
        string.Equals(name, "environment", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "env", StringComparison.OrdinalIgnoreCase);

    private static void Write(Utf8JsonWriter writer, JsonElement element, bool masked)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (masked) writer.WriteStringValue(Redactor.Mask);
                    else if (IsEnvironment(property.Name) && property.Value.ValueKind == JsonValueKind.String)
                        writer.WriteStringValue(MaskLines(property.Value.GetRawText().Length > 2 ? SafeString(property.Value) : string.Empty));
                    else if (IsEnvironment(property.Name) && property.Value.ValueKind == JsonValueKind.Object)
                        Write(writer, property.Value, masked: true);
                    else
                        Write(writer, property.Value, masked: false);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) Write(writer, item, masked);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static string SafeString(JsonElement element) => StudioPS.Models.JsonText.SafeString(element);
}
