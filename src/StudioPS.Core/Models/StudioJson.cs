using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

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
