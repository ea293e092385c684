using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace StudioPS.Input;

/// <summary>
/// A job's environment as Studio takes it: one string of KEY=VALUE lines. Every key is kept,
/// in order; a key given twice keeps its last value (as a shell would).
/// </summary>
internal static class EnvironmentText
{
    /// <summary>
    /// Reads KEY=VALUE lines (an env file, or a server's text). Blank lines and <c># comments</c>
    /// are skipped, an <c>export </c> prefix is allowed, and matching quotes around a value are removed.
    /// In strict mode a line without <c>=</c> is an error naming <paramref name="source"/> and the line number.
    /// </summary>
    public static Dictionary<string, string> Parse(string text, string source, bool strict = true)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal)) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line.Substring(7).TrimStart();
            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                if (strict)
                    throw new StudioInputException("InvalidEnvironmentFile", "EnvironmentFile",
                        $"-EnvironmentFile '{source}' line {i + 1} is not KEY=VALUE (the line is not shown: it may hold a secret).");
                continue;
            }
            var key = line.Substring(0, equals).Trim();
            var value = line.Substring(equals + 1).Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[value.Length - 1] == value[0])
                value = value.Substring(1, value.Length - 2);
            if (strict) CheckKey(key, "EnvironmentFile", $"-EnvironmentFile '{source}' line {i + 1}", showKey: false);
            result[key] = value;
        }
        return result;
    }

    /// <summary>A key that would break the KEY=VALUE lines is refused before anything is sent.</summary>
    /// <param name="key">The variable name.</param>
    /// <param name="parameterName">The parameter it came from.</param>
    /// <param name="where">Where it was given, for the message.</param>
    /// <param name="showKey">False for a file's line, whose text is never repeated: it may be a secret pasted by mistake.</param>
    public static void CheckKey(string key, string parameterName, string where, bool showKey = true)
    {
        if (string.IsNullOrWhiteSpace(key))
            throw new StudioInputException("InvalidEnvironmentKey", parameterName, $"{where}: an environment variable name is empty.");
        if (key.IndexOf('=') >= 0 || key.IndexOfAny(new[] { '\n', '\r', '\0' }) >= 0 || key.Any(char.IsWhiteSpace))
            throw new StudioInputException("InvalidEnvironmentKey", parameterName,
                showKey
                    ? $"{where}: the environment variable name '{Clip(StudioPS.Rendering.DisplayText.Escape(key))}' may not hold '=', spaces or line breaks."
                    : $"{where}: the environment variable name may not hold '=', spaces or line breaks (the line is not shown: it may hold a secret).");
    }

    public static void CheckValue(string key, string value, string parameterName, string where)
    {
        if (value.IndexOfAny(new[] { '\n', '\r', '\0' }) >= 0)
            throw new StudioInputException("InvalidEnvironmentValue", parameterName,
                $"{where}: the value of '{key}' holds a line break, which Studio's KEY=VALUE lines cannot carry.");
    }

    /// <summary>The text Studio takes: KEY=VALUE lines joined by \n, in the order given.</summary>
    public static string Format(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var text = new StringBuilder();
        foreach (var pair in environment)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(pair.Key).Append('=').Append(pair.Value);
        }
        return text.ToString();
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s.Substring(0, 60) + "...";
}
