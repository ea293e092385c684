using System;
using System.Text.Json;

namespace StudioPS.Models;

/// <summary>Reads strings out of JSON that may be malformed in ways the parser accepts but GetString refuses.</summary>
internal static class JsonText
{
    /// <summary>
    /// The string value; for a string the runtime cannot decode (a lone UTF-16 surrogate escape),
    /// its escaped text instead, so a bad character never turns into an exception or a lost line.
    /// </summary>
    public static string SafeString(JsonElement element)
    {
        try
        {
            return element.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            var raw = element.GetRawText();
            return raw.Length >= 2 && raw[0] == '"' && raw[raw.Length - 1] == '"' ? raw.Substring(1, raw.Length - 2) : raw;
        }
    }
}
