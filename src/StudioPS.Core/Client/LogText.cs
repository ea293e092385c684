using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using StudioPS.Models;

namespace StudioPS.Client
{
    /// <summary>Reads a log body in any of the shapes servers use.</summary>
    internal static class LogText
    {
        public static IReadOnlyList<string> Parse(string text, string? mediaType)
        {
            var trimmed = text.TrimStart();
            var json = (mediaType?.IndexOf("json", StringComparison.OrdinalIgnoreCase) ?? -1) >= 0
                       || trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal);
            if (json)
            {
                try
                {
                    using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
                    var lines = new List<string>();
                    Collect(doc.RootElement, lines);
                    return lines;
                }
                catch (JsonException) when (!(mediaType?.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0))
                {
                    // Text that merely starts with a bracket is still text.
                }
                catch (JsonException e)
                {
                    throw new StudioApiException(StudioErrorKind.InvalidResponse, "The job's log is not the JSON it claims to be: " + e.Message,
                        null, null, "GET", "/api/datachain/jobs/{id}/logs", false, null, e);
                }
            }
            var split = text.Replace("\r\n", "\n").Split('\n').ToList();
            if (split.Count > 0 && split[split.Count - 1].Length == 0) split.RemoveAt(split.Count - 1);
            return split;
        }

        private static void Collect(JsonElement element, List<string> lines)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    lines.AddRange(JsonText.SafeString(element).Replace("\r\n", "\n").TrimEnd('\n').Split('\n'));
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray()) Collect(item, lines);
                    break;
                case JsonValueKind.Object:
                    if (element.TryGetProperty("logs", out var logs)) Collect(logs, lines);
                    else if (element.TryGetProperty("message", out var message)) Collect(message, lines);
                    else if (element.TryGetProperty("line", out var line)) Collect(line, lines);
                    break;
            }
        }
    }
}
