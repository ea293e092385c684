using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace StudioPS.Session
{
    /// <summary>
    /// Reads the part of TOML the datachain config files use: tables, dotted and quoted keys,
    /// basic and literal strings (also multi-line), numbers and booleans. Arrays and inline tables
    /// are skipped. Hand-written so the module ships no TOML library that could clash with
    /// another module's copy in the same process.
    /// </summary>
    internal static class TomlConfigReader
    {
        /// <summary>Flattens a document to <c>table.key</c> → value. Lines it cannot read are skipped, not fatal.</summary>
        public static Dictionary<string, string> Parse(string text)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var table = string.Empty;
            var lines = text.Replace("\r\n", "\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                if (line.StartsWith("[[", StringComparison.Ordinal))
                {
                    // Arrays of tables hold nothing the module reads; their keys must not leak into the previous table.
                    table = "\u0000";
                    continue;
                }
                if (line[0] == '[')
                {
                    var end = line.IndexOf(']');
                    if (end < 0) continue;
                    table = string.Join(".", SplitKey(line.Substring(1, end - 1)));
                    continue;
                }
                if (table == "\u0000") continue;
                var pos = 0;
                var key = ReadKey(line, ref pos);
                if (key == null) continue;
                SkipSpaces(line, ref pos);
                if (pos >= line.Length || line[pos] != '=') continue;
                pos++;
                SkipSpaces(line, ref pos);
                var value = ReadValue(lines, ref i, line, pos);
                if (value == null) continue;
                var full = table.Length == 0 ? key : table + "." + key;
                values[full] = value;
            }
            return values;
        }

        private static void SkipSpaces(string line, ref int pos)
        {
            while (pos < line.Length && (line[pos] == ' ' || line[pos] == '\t')) pos++;
        }

        private static List<string> SplitKey(string key)
        {
            var parts = new List<string>();
            var pos = 0;
            while (pos < key.Length)
            {
                SkipSpaces(key, ref pos);
                if (pos >= key.Length) break;
                string part;
                if (key[pos] == '"' || key[pos] == '\'')
                {
                    var quote = key[pos];
                    var end = key.IndexOf(quote, pos + 1);
                    if (end < 0) end = key.Length;
                    part = key.Substring(pos + 1, end - pos - 1);
                    pos = end + 1;
                }
                else
                {
                    var end = key.IndexOf('.', pos);
                    if (end < 0) end = key.Length;
                    part = key.Substring(pos, end - pos).Trim();
                    pos = end;
                }
                parts.Add(part);
                SkipSpaces(key, ref pos);
                if (pos < key.Length && key[pos] == '.') pos++;
            }
            return parts;
        }

        private static string? ReadKey(string line, ref int pos)
        {
            var start = pos;
            var inQuote = '\0';
            while (pos < line.Length)
            {
                var c = line[pos];
                if (inQuote != '\0') { if (c == inQuote) inQuote = '\0'; }
                else if (c == '"' || c == '\'') inQuote = c;
                else if (c == '=') break;
                pos++;
            }
            if (pos >= line.Length) return null;
            var raw = line.Substring(start, pos - start).Trim();
            if (raw.Length == 0) return null;
            return string.Join(".", SplitKey(raw));
        }

        private static string? ReadValue(string[] lines, ref int index, string line, int pos)
        {
            if (pos >= line.Length) return null;
            var rest = line.Substring(pos);
            if (rest.StartsWith("\"\"\"", StringComparison.Ordinal) || rest.StartsWith("'''", StringComparison.Ordinal))
                return ReadMultiline(lines, ref index, rest);
            if (rest[0] == '"') return ReadBasic(rest);
            if (rest[0] == '\'')
            {
                var end = rest.IndexOf('\'', 1);
                return end < 0 ? null : rest.Substring(1, end - 1);
            }
            if (rest[0] == '[' || rest[0] == '{') return null;
            var hash = rest.IndexOf('#');
            var bare = (hash >= 0 ? rest.Substring(0, hash) : rest).Trim();
            return bare.Length == 0 ? null : bare;
        }

        private static string? ReadBasic(string rest)
        {
            var builder = new StringBuilder();
            for (var i = 1; i < rest.Length; i++)
            {
                var c = rest[i];
                if (c == '"') return builder.ToString();
                if (c != '\\') { builder.Append(c); continue; }
                if (++i >= rest.Length) return null;
                switch (rest[i])
                {
                    case 'n': builder.Append('\n'); break;
                    case 't': builder.Append('\t'); break;
                    case 'r': builder.Append('\r'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case 'u':
                    case 'U':
                        var width = rest[i] == 'u' ? 4 : 8;
                        if (i + width >= rest.Length) return null;
                        if (!int.TryParse(rest.Substring(i + 1, width), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code)) return null;
                        builder.Append(char.ConvertFromUtf32(code));
                        i += width;
                        break;
                    default: return null;
                }
            }
            return null;
        }

        private static string? ReadMultiline(string[] lines, ref int index, string rest)
        {
            var delimiter = rest.Substring(0, 3);
            var body = new StringBuilder();
            var current = rest.Substring(3);
            var first = true;
            while (true)
            {
                var end = current.IndexOf(delimiter, StringComparison.Ordinal);
                if (end >= 0)
                {
                    body.Append(current, 0, end);
                    break;
                }
                if (!(first && current.Length == 0)) body.Append(current).Append('\n');
                first = false;
                if (++index >= lines.Length) return null;
                current = lines[index];
            }
            var text = body.ToString();
            return delimiter == "'''" ? text : ReadBasic("\"" + text.Replace("\"", "\\\"") + "\"") ?? text;
        }
    }
}
