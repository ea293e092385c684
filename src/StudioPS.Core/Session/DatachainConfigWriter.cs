using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace StudioPS.Session;

/// <summary>
/// Writes <c>[studio]</c> keys into a datachain config file the way a person would edit it: the
/// lines of the keys that change are replaced, removed or added, and every other line (other
/// sections, keys, comments, blank lines, line endings) stays as it was. The file is replaced in
/// one step (a temp file renamed over it), so a crash leaves the old file or the new one; a new
/// file is created owner-only (0600) on Unix, an existing one keeps its mode.
/// </summary>
internal static class DatachainConfigWriter
{
    /// <summary>The keys the module writes, in the order it adds them.</summary>
    private static readonly string[] KeyOrder = { "url", "token", "team" };

    /// <summary>The config file at a level, as the official CLI finds it.</summary>
    public static string PathOf(ConfigScope scope, Func<string, string?> environment, string currentDirectory) =>
        Path.Combine(scope == ConfigScope.Local
            ? DatachainConfig.LocalDirectory(environment, currentDirectory)
            : DatachainConfig.GlobalDirectory(environment), "config");

    /// <summary>
    /// Sets (a value) or removes (null) keys of the <c>[studio]</c> table in the file, creating the
    /// folder and the file when needed. Returns false when the file already said exactly that.
    /// </summary>
    public static bool Update(string path, IReadOnlyDictionary<string, string?> studioValues)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var existing = File.Exists(path);
        if (!existing && studioValues.Values.All(v => v == null)) return false;
        Directory.CreateDirectory(folder);

        var bytes = existing ? File.ReadAllBytes(path) : new byte[0];
        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        var text = new UTF8Encoding(false, true).GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0));
        var updated = Apply(text, studioValues);
        if (existing && updated == text) return false;

        var output = new UTF8Encoding(false).GetBytes(updated);
        if (bom) output = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(output).ToArray();

        // A symbolic link (a dotfiles checkout) is written through, not replaced by a plain file.
        if (existing && (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0)
        {
            File.WriteAllBytes(path, output);
            return true;
        }

        var mode = existing ? FilePermissions.Get(path) ?? FilePermissions.OwnerReadWrite : FilePermissions.OwnerReadWrite;
        var temp = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                // The mode is set while the file is still empty: the token is never readable by others, not even briefly.
                FilePermissions.Set(temp, mode);
                stream.Write(output, 0, output.Length);
                stream.Flush(true);
            }
            if (existing) File.Replace(temp, path, null);
            else File.Move(temp, path);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return true;
    }

    /// <summary>The text with the <c>[studio]</c> keys set or removed; everything else kept to the character.</summary>
    public static string Apply(string text, IReadOnlyDictionary<string, string?> studioValues)
    {
        var newline = text.Contains("\r\n") ? "\r\n" : "\n";
        var lines = text.Length == 0 ? new List<string>() : text.Replace("\r\n", "\n").Split('\n').ToList();
        var endsWithNewline = lines.Count > 0 && lines[lines.Count - 1].Length == 0;
        if (endsWithNewline) lines.RemoveAt(lines.Count - 1);

        var document = Scan(lines);
        var firsts = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var entry in document.Entries)
            if (!firsts.ContainsKey(entry.Key)) firsts[entry.Key] = entry;

        // Edit from the bottom up so earlier line numbers stay valid. A key written twice (not valid
        // TOML, but seen) keeps only its first line, which gets the new value.
        foreach (var entry in document.Entries.OrderByDescending(e => e.Start))
        {
            if (!studioValues.TryGetValue(entry.Key, out var value)) continue;
            lines.RemoveRange(entry.Start, entry.End - entry.Start + 1);
            if (value != null && ReferenceEquals(firsts[entry.Key], entry))
                lines.Insert(entry.Start, entry.Prefix + Quote(value) + entry.Suffix);
        }

        var additions = KeyOrder.Where(studioValues.ContainsKey).Concat(studioValues.Keys.Where(k => !KeyOrder.Contains(k)))
            .Where(k => studioValues[k] != null && !firsts.ContainsKey(k))
            .Select(k => new KeyValuePair<string, string?>(k, studioValues[k])).ToList();
        if (additions.Count > 0)
        {
            // Line numbers after the edits above: scan again.
            document = Scan(lines);
            if (document.StudioHeader >= 0)
            {
                var after = document.Entries.Where(e => e.InTable).Select(e => e.End).DefaultIfEmpty(document.StudioHeader).Max();
                lines.InsertRange(after + 1, additions.Select(a => a.Key + " = " + Quote(a.Value!)));
            }
            else if (document.Entries.Any(e => !e.InTable))
            {
                // The file uses dotted keys at the top (studio.token = ...): a [studio] header would define the table twice.
                var after = document.Entries.Where(e => !e.InTable).Max(e => e.End);
                lines.InsertRange(after + 1, additions.Select(a => "studio." + a.Key + " = " + Quote(a.Value!)));
            }
            else
            {
                if (lines.Count > 0 && lines[lines.Count - 1].Trim().Length != 0) lines.Add(string.Empty);
                lines.Add("[studio]");
                lines.AddRange(additions.Select(a => a.Key + " = " + Quote(a.Value!)));
            }
            endsWithNewline = true;
        }

        if (lines.Count == 0) return string.Empty;
        return string.Join(newline, lines) + (endsWithNewline ? newline : string.Empty);
    }

    /// <summary>A TOML basic string: quotes, backslashes and control characters escaped.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || c == 0x7F) builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }

    private sealed class Entry
    {
        public string Key = string.Empty;
        public int Start;
        public int End;
        public string Prefix = string.Empty;
        public string Suffix = string.Empty;
        public bool InTable;
    }

    private sealed class Document
    {
        public int StudioHeader = -1;
        public List<Entry> Entries = new List<Entry>();
    }

    /// <summary>Finds the <c>[studio]</c> header and the lines of its keys (in the table, or dotted at the top).</summary>
    private static Document Scan(List<string> lines)
    {
        var document = new Document();
        string? table = string.Empty;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#') continue;
            if (trimmed[0] == '[')
            {
                if (trimmed.StartsWith("[[", StringComparison.Ordinal)) { table = null; continue; }
                var close = trimmed.IndexOf(']');
                table = close < 0 ? null : string.Join(".", SplitKey(trimmed.Substring(1, close - 1)));
                if (table == "studio" && document.StudioHeader < 0) document.StudioHeader = i;
                continue;
            }
            var equals = FindEquals(line);
            if (equals < 0) continue;
            var key = string.Join(".", SplitKey(line.Substring(0, equals)));
            var valueStart = equals + 1;
            while (valueStart < line.Length && (line[valueStart] == ' ' || line[valueStart] == '\t')) valueStart++;
            var end = i;
            var suffix = ValueSuffix(lines, ref end, valueStart);

            string? studioKey = null;
            if (table == "studio" && !key.Contains(".")) studioKey = key;
            else if (table == string.Empty && key.StartsWith("studio.", StringComparison.Ordinal) && key.IndexOf('.', 7) < 0) studioKey = key.Substring(7);
            if (studioKey != null)
                document.Entries.Add(new Entry { Key = studioKey, Start = i, End = end, Prefix = line.Substring(0, valueStart), Suffix = suffix, InTable = table == "studio" });
            i = end;
        }
        return document;
    }

    /// <summary>The position of the <c>=</c> of a key line, outside quoted key parts; -1 if none.</summary>
    private static int FindEquals(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c == '"' || c == '\'') quote = c;
            else if (c == '=') return i;
            else if (c == '#') return -1;
        }
        return -1;
    }

    private static List<string> SplitKey(string key)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quote = '\0';
        foreach (var c in key)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0'; else current.Append(c);
                continue;
            }
            if (c == '"' || c == '\'') quote = c;
            else if (c == '.') { parts.Add(current.ToString().Trim()); current.Clear(); }
            else current.Append(c);
        }
        parts.Add(current.ToString().Trim());
        return parts;
    }

    /// <summary>
    /// Finds where the value that starts at <paramref name="start"/> ends (moving <paramref name="line"/>
    /// on for multi-line strings) and returns what follows it on its last line: spaces and a comment.
    /// </summary>
    private static string ValueSuffix(List<string> lines, ref int line, int start)
    {
        var text = lines[line];
        if (start >= text.Length) return string.Empty;
        var rest = text.Substring(start);
        if (rest.StartsWith("\"\"\"", StringComparison.Ordinal) || rest.StartsWith("'''", StringComparison.Ordinal))
        {
            var delimiter = rest.Substring(0, 3);
            var from = start + 3;
            while (true)
            {
                var close = text.IndexOf(delimiter, from, StringComparison.Ordinal);
                if (close >= 0)
                {
                    var after = close + 3;
                    // Up to two more quote characters may belong to the string itself.
                    while (after < text.Length && text[after] == delimiter[0]) after++;
                    return text.Substring(after);
                }
                if (line + 1 >= lines.Count) return string.Empty;
                text = lines[++line];
                from = 0;
            }
        }
        int end;
        if (rest[0] == '"')
        {
            end = 1;
            while (end < rest.Length && rest[end] != '"') end += rest[end] == '\\' ? 2 : 1;
            end = Math.Min(end + 1, rest.Length);
        }
        else if (rest[0] == '\'')
        {
            var close = rest.IndexOf('\'', 1);
            end = close < 0 ? rest.Length : close + 1;
        }
        else
        {
            var hash = rest.IndexOf('#');
            end = hash < 0 ? rest.Length : hash;
            while (end > 0 && (rest[end - 1] == ' ' || rest[end - 1] == '\t')) end--;
        }
        return rest.Substring(end);
    }
}
