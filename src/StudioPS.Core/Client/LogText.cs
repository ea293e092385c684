using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using StudioPS.Logs;
using StudioPS.Models;

namespace StudioPS.Client;

/// <summary>Reads a log body in any of the shapes servers use.</summary>
internal static class LogText
{
    /// <summary>
    /// The body as raw output chunks. Plain text is one chunk. JSON pieces are chunks with their own
    /// line breaks, except where no piece holds a line break at all: that older shape is one line per
    /// piece, and each gets its break back.
    /// </summary>
    public static IReadOnlyList<string> Chunks(string text, string? mediaType)
    {
        var trimmed = text.TrimStart();
        var declaredJson = (mediaType?.IndexOf("json", StringComparison.OrdinalIgnoreCase) ?? -1) >= 0;
        var json = declaredJson || trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal);
        if (json)
        {
            try
            {
                using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
                var pieces = new List<string>();
                Collect(doc.RootElement, pieces);
                return pieces.Any(p => p.IndexOf('\n') >= 0) ? pieces : pieces.Select(p => p + "\n").ToList();
            }
            catch (JsonException) when (!declaredJson)
            {
                // Text that merely starts with a bracket is still text.
            }
            catch (JsonException e)
            {
                throw new StudioApiException(StudioErrorKind.InvalidResponse, "The job's log is not the JSON it claims to be: " + e.Message,
                    null, null, "GET", "/api/datachain/jobs/{id}/logs", false, null, e);
            }
        }
        return text.Length == 0 ? new string[0] : new[] { text };
    }

    /// <summary>The body as lines.</summary>
    public static IReadOnlyList<string> Parse(string text, string? mediaType) => LineAssembler.SplitAll(Chunks(text, mediaType));

    private static void Collect(JsonElement element, List<string> pieces)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                pieces.Add(JsonText.SafeString(element));
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, pieces);
                break;
            case JsonValueKind.Object:
                if (element.TryGetProperty("logs", out var logs)) Collect(logs, pieces);
                else if (element.TryGetProperty("message", out var message)) Collect(message, pieces);
                else if (element.TryGetProperty("line", out var line)) Collect(line, pieces);
                break;
        }
    }
}
