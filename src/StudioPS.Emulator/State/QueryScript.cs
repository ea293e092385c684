using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using StudioPS.Emulator.Control;

namespace StudioPS.Emulator.State;

/// <summary>
/// The emulator's query convention: a few Python and shell statements decide what a job logs, how long it
/// runs and how it ends. Anything else in the query is ignored. Documented in docs/EMULATOR.md.
/// </summary>
public sealed partial class QueryScript
{
    public abstract record Step;
    public sealed record LogStep(string Text) : Step;
    public sealed record WriteStep(string Text) : Step;
    public sealed record SleepStep(double Seconds) : Step;
    public sealed record ExitStep(int Code) : Step;
    public sealed record RaiseStep(string Type, string Message) : Step;
    public sealed record GenerateStep(int Lines, double IntervalMs, string Prefix) : Step;

    /// <summary>How the script ended.</summary>
    public sealed record Outcome(int ExitCode, string? Error);

    public IReadOnlyList<Step> Steps { get; }

    QueryScript(IReadOnlyList<Step> steps) => Steps = steps;

    [GeneratedRegex("""^print\(\s*f?(?:"(?<t>(?:[^"\\]|\\.)*)"|'(?<t>(?:[^'\\]|\\.)*)')\s*\)\s*;?$""")]
    private static partial Regex PrintRx();
    [GeneratedRegex("""^sys\.stdout\.write\(\s*(?:"(?<t>(?:[^"\\]|\\.)*)"|'(?<t>(?:[^'\\]|\\.)*)')\s*\)\s*;?$""")]
    private static partial Regex WriteRx();
    [GeneratedRegex(@"^(?:time\.)?sleep\(\s*(?<s>\d+(?:\.\d*)?|\.\d+)\s*\)\s*;?$")]
    private static partial Regex PySleepRx();
    [GeneratedRegex(@"^(?:sys\.)?exit\(\s*(?<n>-?\d{1,9})?\s*\)\s*;?$")]
    private static partial Regex PyExitRx();
    [GeneratedRegex("""^raise\s+(?<type>[A-Za-z_][\w.]*)\s*(?:\(\s*(?:"(?<m>(?:[^"\\]|\\.)*)"|'(?<m>(?:[^'\\]|\\.)*)')?\s*\))?\s*;?$""")]
    private static partial Regex RaiseRx();
    [GeneratedRegex(@"^echo(?:\s+(?<t>.*))?$")]
    private static partial Regex EchoRx();
    [GeneratedRegex(@"^sleep\s+(?<s>\d+(?:\.\d*)?|\.\d+)s?\s*;?$")]
    private static partial Regex ShSleepRx();
    [GeneratedRegex(@"^exit(?:\s+(?<n>-?\d{1,9}))?\s*;?$")]
    private static partial Regex ShExitRx();
    [GeneratedRegex(@"^#\s*emulator:\s*(?<args>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex DirectiveRx();

    public static QueryScript Parse(string query)
    {
        var steps = new List<Step>();
        foreach (string raw in query.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0) continue;
            Match m;
            if ((m = DirectiveRx().Match(line)).Success) { steps.Add(ParseDirective(m.Groups["args"].Value)); continue; }
            if (line.StartsWith('#')) continue;
            line = StripComment(line);
            if ((m = PrintRx().Match(line)).Success) steps.Add(new LogStep(Unescape(m.Groups["t"].Value)));
            else if ((m = WriteRx().Match(line)).Success) steps.Add(new WriteStep(Unescape(m.Groups["t"].Value)));
            else if ((m = PySleepRx().Match(line)).Success || (m = ShSleepRx().Match(line)).Success)
                steps.Add(new SleepStep(double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture)));
            else if ((m = PyExitRx().Match(line)).Success || (m = ShExitRx().Match(line)).Success)
                steps.Add(new ExitStep(m.Groups["n"].Success ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) : 0));
            else if ((m = RaiseRx().Match(line)).Success)
                steps.Add(new RaiseStep(m.Groups["type"].Value, Unescape(m.Groups["m"].Value)));
            else if ((m = EchoRx().Match(line)).Success) steps.Add(new LogStep(Unquote(m.Groups["t"].Value.Trim())));
        }
        return new QueryScript(steps);
    }

    /// <summary>Cuts a trailing "# comment" that is outside quotes (both languages use #).</summary>
    static string StripComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == '\\') i++;
                else if (c == quote) quote = '\0';
            }
            else if (c is '"' or '\'') quote = c;
            else if (c == '#') return line[..i].TrimEnd();
        }
        return line;
    }

    static GenerateStep ParseDirective(string args)
    {
        int lines = 0;
        double interval = 0;
        string prefix = "line";
        foreach (string pair in args.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) continue;
            string key = pair[..eq].ToLowerInvariant(), value = pair[(eq + 1)..];
            switch (key)
            {
                case "lines" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0: lines = n; break;
                case "interval_ms" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= 0: interval = d; break;
                case "prefix": prefix = Unquote(value); break;
            }
        }
        return new GenerateStep(lines, interval, prefix);
    }

    static string Unescape(string s) =>
        s.Contains('\\') ? EscapeRx().Replace(s, m => m.Value[1] switch { 'n' => "\n", 'r' => "\r", 't' => "\t", var c => c.ToString() }) : s;

    [GeneratedRegex(@"\\.")]
    private static partial Regex EscapeRx();

    static string Unquote(string s) =>
        s.Length >= 2 && (s[0] == '"' || s[0] == '\'') && s[^1] == s[0] ? s[1..^1] : s;

    /// <summary>Runs the steps against a job, scaled by the emulator's speed. Throws when canceled.</summary>
    public async Task<Outcome> RunAsync(Job job, EmulatorOptions options, CancellationToken ct)
    {
        if (Steps.Count == 0)
        {
            job.Log($"Running {job.Name}");
            return new Outcome(0, null);
        }
        foreach (var step in Steps)
        {
            ct.ThrowIfCancellationRequested();
            switch (step)
            {
                case LogStep s:
                    job.Log(s.Text);
                    break;
                case WriteStep s:
                    job.Write(s.Text);
                    break;
                case SleepStep s:
                    await Task.Delay(options.Scale(s.Seconds * 1000), ct);
                    break;
                case ExitStep s:
                    return s.Code == 0 ? new Outcome(0, null) : new Outcome(s.Code, $"Process exited with code {s.Code}");
                case RaiseStep s:
                    job.Log(["Traceback (most recent call last):", "  File \"query.py\", line 1, in <module>",
                        s.Message.Length > 0 ? $"{s.Type}: {s.Message}" : s.Type]);
                    return new Outcome(1, s.Message.Length > 0 ? s.Message : s.Type);
                case GenerateStep s:
                    await GenerateAsync(job, s, options, ct);
                    break;
            }
        }
        return new Outcome(0, null);
    }

    /// <summary>
    /// Emits numbered lines on a fixed cadence. Timer resolution is ~1 ms or worse, so lines are emitted in
    /// catch-up batches against a stopwatch: the total duration stays right even at a 2 ms interval.
    /// </summary>
    static async Task GenerateAsync(Job job, GenerateStep s, EmulatorOptions options, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        int emitted = 0;
        const int MaxBatch = 1000;
        while (emitted < s.Lines)
        {
            ct.ThrowIfCancellationRequested();
            double interval = options.Scale(s.IntervalMs).TotalMilliseconds;
            int due = interval <= 0 ? s.Lines : Math.Min(s.Lines, (int)(clock.Elapsed.TotalMilliseconds / interval) + 1);
            due = Math.Min(due, emitted + MaxBatch);
            if (due > emitted)
            {
                int start = emitted;
                job.Log(Enumerable.Range(start + 1, due - start).Select(i => $"{s.Prefix} {i}"));
                emitted = due;
            }
            if (emitted < s.Lines && interval > 0)
            {
                double nextAt = emitted * interval;
                double wait = nextAt - clock.Elapsed.TotalMilliseconds;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, wait)), ct);
            }
            else if (emitted < s.Lines)
            {
                await Task.Yield();
            }
        }
    }
}
