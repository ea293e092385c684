using System;
using System.Collections.Generic;
using System.Text;

namespace StudioPS.Logs;

/// <summary>
/// Turns raw output chunks into lines: splits on LF, drops the CR of a CRLF (also when a chunk ends
/// between the two), keeps a partial last line until its break arrives, and gives it up on
/// <see cref="Flush"/> when the output has ended. A blank line of output is an empty string; a chunk
/// boundary never makes one.
/// </summary>
internal sealed class LineAssembler
{
    private readonly StringBuilder _partial = new StringBuilder();

    /// <summary>True while part of a line is held, waiting for its break.</summary>
    public bool HasPartial => _partial.Length > 0;

    /// <summary>Adds a chunk; every line it completes is added to <paramref name="lines"/>.</summary>
    /// <remarks>
    /// One string per line and nothing else: the CR of a CRLF is left out of the substring instead of
    /// trimmed from it afterwards, and a line wholly inside the chunk is cut straight from it.
    /// </remarks>
    public void Push(string chunk, List<string> lines)
    {
        if (string.IsNullOrEmpty(chunk)) return;
        var start = 0;
        while (true)
        {
            var lf = chunk.IndexOf('\n', start);
            if (lf < 0)
            {
                _partial.Append(chunk, start, chunk.Length - start);
                return;
            }
            var end = lf > start && chunk[lf - 1] == '\r' ? lf - 1 : lf;
            string line;
            if (_partial.Length == 0)
            {
                line = chunk.Substring(start, end - start);
            }
            else
            {
                // The chunk ended between CR and LF: the CR is the held part's last character.
                if (lf == start && _partial[_partial.Length - 1] == '\r') _partial.Length--;
                line = _partial.Append(chunk, start, end - start).ToString();
                _partial.Clear();
            }
            lines.Add(line);
            start = lf + 1;
        }
    }

    /// <summary>The held partial line, once the output has ended (null when none).</summary>
    public string? Flush()
    {
        if (_partial.Length == 0) return null;
        var line = TrimCarriageReturn(_partial.ToString());
        _partial.Clear();
        return line;
    }

    private static string TrimCarriageReturn(string line) =>
        line.Length > 0 && line[line.Length - 1] == '\r' ? line.Substring(0, line.Length - 1) : line;

    /// <summary>All lines of a complete text (the partial last line included).</summary>
    public static List<string> SplitAll(IEnumerable<string> chunks)
    {
        var assembler = new LineAssembler();
        var lines = new List<string>();
        foreach (var chunk in chunks) assembler.Push(chunk, lines);
        var last = assembler.Flush();
        if (last != null) lines.Add(last);
        return lines;
    }
}
