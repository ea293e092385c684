using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using StudioPS.Input;

namespace StudioPS.Models;

/// <summary>Reads an environment sent as a JSON object or as KEY=VALUE lines.</summary>
internal sealed class EnvironmentConverter : JsonConverter<Dictionary<string, string>?>
{
    public override bool HandleNull => true;

    public override Dictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return EnvironmentText.Parse(reader.GetString() ?? string.Empty, "environment", strict: false);
            case JsonTokenType.StartObject:
                var result = new Dictionary<string, string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString() ?? string.Empty;
                    reader.Read();
                    result[key] = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString() ?? string.Empty,
                        JsonTokenType.Null => string.Empty,
                        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => RawText(ref reader),
                        _ => throw new JsonException("An environment value must be a string."),
                    };
                }
                return result;
            default:
                throw new JsonException($"Expected an environment object or text, found {reader.TokenType}.");
        }
    }

    private static string RawText(ref Utf8JsonReader reader) =>
        System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());

    public override void Write(Utf8JsonWriter writer, Dictionary<string, string>? value, JsonSerializerOptions options)
    {
        if (value == null) { writer.WriteNullValue(); return; }
        writer.WriteStartObject();
        foreach (var pair in value) writer.WriteString(pair.Key, pair.Value);
        writer.WriteEndObject();
    }
}
