using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace StudioPS.Session;

/// <summary>
/// Reads the part of TOML the datachain config files use, by the TOML 1.0 spec: tables, dotted
/// and quoted keys, basic and literal strings (also multi-line, with escapes, line-ending
/// backslashes and embedded quotes), numbers, booleans and dates as their text. Arrays, inline
/// tables and arrays of tables are read past and not kept. Anything that is not TOML is a
/// <see cref="TomlSyntaxException"/> naming the line, never another exception. Hand-written so
/// the module ships no TOML library that could clash with another module's copy in the same process.
/// </summary>
internal sealed class TomlConfigReader
{
    private readonly string _text;
    private int _pos;
    private int _line = 1;

    private TomlConfigReader(string text)
    {
        _text = text;
    }

    /// <summary>Flattens a document to <c>table.key</c> → value.</summary>
    public static Dictionary<string, string> Parse(string text) => new TomlConfigReader(text).Read();

    private bool AtEnd => _pos >= _text.Length;
    private char Current => _text[_pos];
    private bool At(string s) => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0;

    private TomlSyntaxException Error(string message) => new TomlSyntaxException(_line, message);

    private Dictionary<string, string> Read()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? table = string.Empty;
        if (At("\uFEFF")) _pos++;
        while (true)
        {
            SkipBlank();
            if (AtEnd) return values;
            if (EndOfLine()) continue;
            if (Current == '[')
            {
                if (At("[["))
                {
                    _pos += 2;
                    ReadKey(']');
                    if (!At("]]")) throw Error("an array of tables is not closed with ']]'");
                    _pos += 2;
                    // Arrays of tables hold nothing the module reads; their keys must not land in the previous table.
                    table = null;
                }
                else
                {
                    _pos++;
                    table = ReadKey(']');
                    if (AtEnd || Current != ']') throw Error("a table header is not closed with ']'");
                    _pos++;
                }
                ExpectEndOfLine();
                continue;
            }
            var key = ReadKey('=');
            if (AtEnd || Current != '=') throw Error("a key is not followed by '='");
            _pos++;
            SkipBlank();
            var value = ReadValue();
            ExpectEndOfLine();
            if (table != null && value != null) values[table.Length == 0 ? key : table + "." + key] = value;
        }
    }

    private void SkipBlank()
    {
        while (!AtEnd && (Current == ' ' || Current == '\t')) _pos++;
    }

    /// <summary>Consumes a comment and a line break (true), or says there is more on the line (false).</summary>
    private bool EndOfLine()
    {
        if (!AtEnd && Current == '#')
        {
            while (!AtEnd && Current != '\n')
            {
                if (IsBadControl(Current) && Current != '\r') throw Error("a comment holds a control character");
                _pos++;
            }
        }
        if (AtEnd) return true;
        if (Current == '\n') { _pos++; _line++; return true; }
        if (At("\r\n")) { _pos += 2; _line++; return true; }
        return false;
    }

    private void ExpectEndOfLine()
    {
        SkipBlank();
        if (!EndOfLine()) throw Error("unexpected text after the value");
    }

    private string ReadKey(char terminator)
    {
        var parts = new List<string>();
        while (true)
        {
            SkipBlank();
            if (AtEnd) throw Error("a key ends too early");
            string part;
            if (Current == '"') part = ReadBasic();
            else if (Current == '\'') part = ReadLiteral();
            else
            {
                var start = _pos;
                while (!AtEnd && (char.IsLetterOrDigit(Current) && Current < 128 || Current == '_' || Current == '-')) _pos++;
                if (_pos == start) throw Error(AtEnd || Current == '\n' || Current == '\r' ? Missing(terminator) : $"'{Describe(Current)}' cannot start a key");
                part = _text.Substring(start, _pos - start);
            }
            parts.Add(part);
            SkipBlank();
            if (!AtEnd && Current == '.') { _pos++; continue; }
            if (!AtEnd && Current == terminator) return string.Join(".", parts);
            throw Error(AtEnd || Current == '\n' || Current == '\r' ? Missing(terminator) : $"unexpected '{Describe(Current)}' after a key where '{terminator}' belongs");
        }
    }

    private static string Missing(char terminator) => terminator == '=' ? "a line holds no '='" : "a table header is not closed with ']'";

    private string? ReadValue()
    {
        if (AtEnd || Current == '\n' || Current == '\r' || Current == '#') throw Error("a key has no value");
        if (At("\"\"\"")) return ReadMultilineBasic();
        if (At("'''")) return ReadMultilineLiteral();
        if (Current == '"') return ReadBasic();
        if (Current == '\'') return ReadLiteral();
        if (Current == '[' || Current == '{')
        {
            SkipNested();
            return null;
        }
        var start = _pos;
        while (!AtEnd && Current != '\n' && Current != '\r' && Current != '#' && Current != ',')
        {
            if (IsBadControl(Current)) throw Error("a value holds a control character");
            _pos++;
        }
        var bare = _text.Substring(start, _pos - start).TrimEnd(' ', '\t');
        _pos = start + bare.Length;
        if (bare.Length == 0) throw Error("a key has no value");
        return bare;
    }

    /// <summary>Reads past an array or inline table, strings and comments in it included.</summary>
    private void SkipNested()
    {
        var depth = 0;
        while (true)
        {
            if (AtEnd) throw Error("an array or inline table is not closed");
            var c = Current;
            if (c == '[' || c == '{') { depth++; _pos++; }
            else if (c == ']' || c == '}') { _pos++; if (--depth == 0) return; }
            else if (At("\"\"\"")) ReadMultilineBasic();
            else if (At("'''")) ReadMultilineLiteral();
            else if (c == '"') ReadBasic();
            else if (c == '\'') ReadLiteral();
            else if (c == '#' || c == '\n' || c == '\r') { if (!EndOfLine()) _pos++; }
            else _pos++;
        }
    }

    private string ReadBasic()
    {
        _pos++;
        var builder = new StringBuilder();
        while (true)
        {
            if (AtEnd || Current == '\n' || Current == '\r') throw Error("a string is not closed on its line");
            var c = Current;
            if (c == '"') { _pos++; return builder.ToString(); }
            if (c == '\\') { ReadEscape(builder); continue; }
            if (IsBadControl(c)) throw Error("a string holds a control character; write it as an escape");
            builder.Append(c);
            _pos++;
        }
    }

    private string ReadLiteral()
    {
        _pos++;
        var start = _pos;
        while (true)
        {
            if (AtEnd || Current == '\n' || Current == '\r') throw Error("a string is not closed on its line");
            if (Current == '\'') break;
            if (IsBadControl(Current)) throw Error("a string holds a control character");
            _pos++;
        }
        var value = _text.Substring(start, _pos - start);
        _pos++;
        return value;
    }

    private string ReadMultilineBasic()
    {
        var startLine = _line;
        _pos += 3;
        SkipFirstNewline();
        var builder = new StringBuilder();
        while (true)
        {
            if (AtEnd) throw new TomlSyntaxException(startLine, "a multi-line string is not closed with \"\"\"");
            if (At("\"\"\""))
            {
                // Up to two quotes right before the closing delimiter belong to the string.
                var extra = 0;
                while (extra < 2 && _pos + 3 + extra < _text.Length && _text[_pos + 3 + extra] == '"') extra++;
                builder.Append('"', extra);
                _pos += 3 + extra;
                return builder.ToString();
            }
            var c = Current;
            if (c == '\\')
            {
                if (LineEndingBackslash()) continue;
                ReadEscape(builder);
                continue;
            }
            if (c == '\n') { builder.Append('\n'); _pos++; _line++; continue; }
            if (At("\r\n")) { builder.Append('\n'); _pos += 2; _line++; continue; }
            if (IsBadControl(c)) throw Error("a string holds a control character; write it as an escape");
            builder.Append(c);
            _pos++;
        }
    }

    private string ReadMultilineLiteral()
    {
        var startLine = _line;
        _pos += 3;
        SkipFirstNewline();
        var builder = new StringBuilder();
        while (true)
        {
            if (AtEnd) throw new TomlSyntaxException(startLine, "a multi-line string is not closed with '''");
            if (At("'''"))
            {
                var extra = 0;
                while (extra < 2 && _pos + 3 + extra < _text.Length && _text[_pos + 3 + extra] == '\'') extra++;
                builder.Append('\'', extra);
                _pos += 3 + extra;
                return builder.ToString();
            }
            var c = Current;
            if (c == '\n') { builder.Append('\n'); _pos++; _line++; continue; }
            if (At("\r\n")) { builder.Append('\n'); _pos += 2; _line++; continue; }
            if (IsBadControl(c)) throw Error("a string holds a control character");
            builder.Append(c);
            _pos++;
        }
    }

    private void SkipFirstNewline()
    {
        if (!AtEnd && Current == '\n') { _pos++; _line++; }
        else if (At("\r\n")) { _pos += 2; _line++; }
    }

    /// <summary>A backslash that ends a line: it, the line break and the whitespace after are dropped.</summary>
    private bool LineEndingBackslash()
    {
        var p = _pos + 1;
        while (p < _text.Length && (_text[p] == ' ' || _text[p] == '\t')) p++;
        if (p >= _text.Length || (_text[p] != '\n' && _text[p] != '\r')) return false;
        _pos = p;
        while (!AtEnd && (Current == ' ' || Current == '\t' || Current == '\n' || Current == '\r'))
        {
            if (Current == '\n') _line++;
            _pos++;
        }
        return true;
    }

    private void ReadEscape(StringBuilder builder)
    {
        _pos++;
        if (AtEnd) throw Error("a string ends in the middle of an escape");
        var c = Current;
        _pos++;
        switch (c)
        {
            case 'b': builder.Append('\b'); return;
            case 't': builder.Append('\t'); return;
            case 'n': builder.Append('\n'); return;
            case 'f': builder.Append('\f'); return;
            case 'r': builder.Append('\r'); return;
            case '"': builder.Append('"'); return;
            case '\\': builder.Append('\\'); return;
            case 'u':
            case 'U':
                var width = c == 'u' ? 4 : 8;
                if (_pos + width > _text.Length) throw Error($"\\{c} needs {width} hex digits");
                var hex = _text.Substring(_pos, width);
                foreach (var h in hex)
                    if (!Uri.IsHexDigit(h)) throw Error($"\\{c} needs {width} hex digits");
                var code = long.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                // Only Unicode scalar values: no surrogate halves, nothing past U+10FFFF.
                if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
                    throw Error($"\\{c}{hex} is not a Unicode scalar value");
                builder.Append(char.ConvertFromUtf32((int)code));
                _pos += width;
                return;
            default:
                throw Error($"'\\{Describe(c)}' is not a TOML escape");
        }
    }

    private static bool IsBadControl(char c) => (c < 0x20 && c != '\t') || c == 0x7F;

    private static string Describe(char c) => c < 0x20 || c == 0x7F ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString();
}
