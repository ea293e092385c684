using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StudioPS.Models
{
    /// <summary>
    /// The one place that says how Studio's JSON maps to the module's types: snake_case fields to
    /// PascalCase properties, unknown fields ignored, missing fields null, ids always strings.
    /// </summary>
    internal static class StudioJson
    {
        public static JsonSerializerOptions Options { get; } = Create();

        private static JsonSerializerOptions Create()
        {
            var options = new JsonSerializerOptions
            {
                PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                PropertyNameCaseInsensitive = true,
                DefaultIgnoreCondition = JsonIgnoreCondition.Never,
                NumberHandling = JsonNumberHandling.AllowReadingFromString,
                ReadCommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
                // Deep nesting from a hostile server fails fast with a JsonException instead of a stack dive.
                MaxDepth = 64,
            };
            options.Converters.Add(new LenientDateTimeOffsetConverter());
            return options;
        }

        /// <summary>Options for request bodies: nulls are sent (the official client sends unset fields as null).</summary>
        public static JsonSerializerOptions RequestOptions { get; } = CreateRequest();

        private static JsonSerializerOptions CreateRequest()
        {
            var options = new JsonSerializerOptions
            {
                PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            };
            return options;
        }
    }

    /// <summary>
    /// Reads ids that servers send as numbers or strings ("id": 1 or "id": "1") into a string.
    /// The document's own example holds a malformed uuid, so ids are never parsed further.
    /// </summary>
    internal sealed class FlexibleStringConverter : JsonConverter<string?>
    {
        public override bool HandleNull => true;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    return System.Text.Encoding.UTF8.GetString(
                        reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());
                case JsonTokenType.True:
                    return "true";
                case JsonTokenType.False:
                    return "false";
                default:
                    throw new JsonException($"Expected a string or a number, found {reader.TokenType}.");
            }
        }

        public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
        {
            if (value is null) writer.WriteNullValue(); else writer.WriteStringValue(value);
        }
    }

    /// <summary>
    /// Times as DateTimeOffset; an empty string is read as null rather than failing the whole object.
    /// A string that is not a time at all is still an error (the response is malformed).
    /// </summary>
    internal sealed class LenientDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
    {
        public override bool HandleNull => true;

        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.String)
                throw new JsonException($"Expected a time string, found {reader.TokenType}.");
            var text = reader.GetString();
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (reader.TryGetDateTimeOffset(out var value)) return value;
            if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out value))
                return value;
            throw new JsonException($"'{Truncate(text!)}' is not a time.");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
        {
            if (value is null) writer.WriteNullValue();
            else writer.WriteStringValue(value.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }

        private static string Truncate(string s) => s.Length <= 40 ? s : s.Substring(0, 40) + "...";
    }
}
