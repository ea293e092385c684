using System;
using System.Text;
using System.Text.RegularExpressions;

namespace StudioPS.Client;

/// <summary>
/// Removes a token from any text before it reaches a stream, an error or a trace: the token
/// itself, any run of 9 or more of its leading characters, anything shaped like a Studio
/// token (<c>isat_...</c>), and the value of an Authorization header.
/// </summary>
internal sealed class Redactor
{
    public const string Mask = "[redacted]";
    private const int MinimumPrefix = 9;
    private static readonly Regex TokenShape = new Regex(@"isat_[A-Za-z0-9_\-\.]+", RegexOptions.CultureInvariant);
    private static readonly Regex AuthorizationValue = new Regex(@"(?i)(authorization\s*[:=]\s*)(""?)(bearer|token|basic)?\s*[^\s"",;]+", RegexOptions.CultureInvariant);
    // A credential after a scheme word: 16 or more token characters with at least one digit, so prose
    // such as "the -Token parameter" is left alone.
    private static readonly Regex SchemeValue = new Regex(@"(?i)\b(bearer|token)\s+(?=[A-Za-z0-9_\-\.=+/]*[0-9])([A-Za-z0-9_\-\.=+/]{16,})", RegexOptions.CultureInvariant);
    // Only the first characters are kept: enough to find the token, or any long prefix of it, in text.
    private readonly string? _head;

    public Redactor(string? token)
    {
        if (string.IsNullOrEmpty(token)) return;
        _head = token!.Length <= MinimumPrefix ? token : token.Substring(0, MinimumPrefix);
    }

    public static Redactor None { get; } = new Redactor(null);

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
        var result = text!;
        if (_head != null) result = RedactFromHead(result, _head);
        result = TokenShape.Replace(result, Mask);
        result = AuthorizationValue.Replace(result, m => m.Groups[1].Value + m.Groups[2].Value + (m.Groups[3].Success ? m.Groups[3].Value + " " : string.Empty) + Mask);
        result = SchemeValue.Replace(result, m => m.Groups[1].Value + " " + Mask);
        return result;
    }

    /// <summary>Replaces every run that starts with the token's first characters, up to the next delimiter.</summary>
    private static string RedactFromHead(string text, string head)
    {
        var index = text.IndexOf(head, StringComparison.Ordinal);
        if (index < 0) return text;
        var builder = new StringBuilder(text.Length);
        var from = 0;
        while (index >= 0)
        {
            builder.Append(text, from, index - from);
            var end = index + head.Length;
            while (end < text.Length && !IsDelimiter(text[end])) end++;
            builder.Append(Mask);
            from = end;
            index = text.IndexOf(head, from, StringComparison.Ordinal);
        }
        builder.Append(text, from, text.Length - from);
        return builder.ToString();
    }

    private static bool IsDelimiter(char c) =>
        char.IsWhiteSpace(c) || c == '"' || c == '\'' || c == ',' || c == ';' || c == ')' || c == ']' || c == '}'
        || c == '<' || c == '>' || c == '&' || c == '`';
}
