using System.Globalization;
using System.Text;

namespace StudioPS.Rendering;

/// <summary>
/// Makes text from a server safe to show in a console: control characters (which could move the
/// cursor, change colours or rewrite the screen through escape sequences) and the characters that
/// reverse the reading direction are shown escaped (<c>\n</c>, <c>\t</c>, <c>\u001b</c>), so what is
/// printed is what the server sent. Used for errors, warnings, progress and table columns; a job's
/// log lines are written as the job wrote them.
/// </summary>
public static class DisplayText
{
    /// <summary>The text with control and direction-override characters escaped; null becomes empty.</summary>
    public static string Escape(string? text) => Escape(text, keepLineBreaks: false);

    /// <summary>As <see cref="Escape(string)"/>; with <paramref name="keepLineBreaks"/> a \n (or \r\n) stays a line break.</summary>
    public static string Escape(string? text, bool keepLineBreaks)
    {
        if (text == null) return string.Empty;
        var i = 0;
        while (i < text.Length && !NeedsEscape(text[i])) i++;
        if (i == text.Length) return text;
        var builder = new StringBuilder(text.Length + 16).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (!NeedsEscape(c)) { builder.Append(c); continue; }
            if (keepLineBreaks && c == '\n') { builder.Append(c); continue; }
            if (keepLineBreaks && c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { builder.Append(c); continue; }
            switch (c)
            {
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default: builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
            }
        }
        return builder.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F';
}
