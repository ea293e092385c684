using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using StudioPS.Models;

namespace StudioPS.Rendering;

/// <summary>
/// Draws a pipeline's job runs: a tree for the console (parents before children, each with its
/// status), Mermaid for documentation, and Graphviz DOT. A run with several parents is drawn
/// under its first parent and names the others, so the tree stays a tree and no edge is lost.
/// </summary>
internal static class PipelineGraph
{
    public static IReadOnlyList<string> Tree(StudioPipeline pipeline)
    {
        var runs = Runs(pipeline);
        var byId = ById(runs);
        var children = new Dictionary<string, List<StudioPipelineJobRun>>();
        var roots = new List<StudioPipelineJobRun>();
        foreach (var run in runs)
        {
            var parents = KnownParents(run, byId);
            if (parents.Count == 0) roots.Add(run);
            foreach (var parent in parents)
            {
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = new List<StudioPipelineJobRun>();
                list.Add(run);
            }
        }
        var lines = new List<string>
        {
            string.Format(CultureInfo.InvariantCulture, "{0} [{1}] {2}/{3}{4}", DisplayText.Escape(pipeline.Name ?? pipeline.Id), DisplayText.Escape(pipeline.Status),
                pipeline.Completed?.ToString(CultureInfo.InvariantCulture) ?? "?", pipeline.Total?.ToString(CultureInfo.InvariantCulture) ?? "?",
                pipeline.TriggeredFrom == null ? string.Empty : " from " + DisplayText.Escape(pipeline.TriggeredFrom)),
        };
        var drawn = new HashSet<StudioPipelineJobRun>();
        Draw(roots, byId, children, drawn, lines, force: false);
        // Runs on a cycle (a malformed graph) never have all parents drawn: still show them.
        Draw(runs.Where(r => !drawn.Contains(r)).ToList(), byId, children, drawn, lines, force: true);
        return lines;
    }

    /// <summary>Levels drawn with indentation; deeper runs keep the indentation of this level and name their depth, so a deep chain costs memory linear in its length.</summary>
    internal const int MaxIndentDepth = 32;

    private sealed class Frame
    {
        public Frame(StudioPipelineJobRun run, string? under, string indent, bool last, int depth)
        {
            Run = run;
            Under = under;
            Indent = indent;
            Last = last;
            Depth = depth;
        }

        public StudioPipelineJobRun Run { get; }
        public string? Under { get; }
        public string Indent { get; }
        public bool Last { get; }
        public int Depth { get; }
    }

    /// <summary>
    /// Draws each run, then those of its children whose parents are all drawn: a run with several
    /// parents hangs under the last of them, so every parent's line comes before its children's.
    /// Depth-first with its own stack, not recursion: a graph of any depth cannot overflow the stack.
    /// </summary>
    private static void Draw(List<StudioPipelineJobRun> top, Dictionary<string, StudioPipelineJobRun> byId,
        Dictionary<string, List<StudioPipelineJobRun>> children, HashSet<StudioPipelineJobRun> drawn, List<string> lines, bool force)
    {
        var stack = new Stack<Frame>();
        for (var i = top.Count - 1; i >= 0; i--) stack.Push(new Frame(top[i], null, string.Empty, i == top.Count - 1, 0));
        while (stack.Count > 0)
        {
            var frame = stack.Pop();
            var run = frame.Run;
            if (!drawn.Add(run)) continue;
            var others = KnownParents(run, byId).Where(p => p != frame.Under).ToList();
            var also = frame.Under != null && others.Count > 0 ? " (also after " + string.Join(", ", others.Select(p => Label(byId[p]))) + ")" : string.Empty;
            var level = frame.Depth >= MaxIndentDepth ? "[level " + (frame.Depth + 1).ToString(CultureInfo.InvariantCulture) + "] " : string.Empty;
            lines.Add(frame.Indent + (frame.Last ? "└─ " : "├─ ") + level + Label(run) + " [" + DisplayText.Escape(run.Status ?? "?") + "]" + also);
            if (run.JobId == null || !children.TryGetValue(run.JobId, out var kids)) continue;
            var ready = kids.Where(k => !drawn.Contains(k) && (force || KnownParents(k, byId).All(p => drawn.Contains(byId[p])))).ToList();
            var next = frame.Depth + 1 >= MaxIndentDepth ? frame.Indent : frame.Indent + (frame.Last ? "   " : "│  ");
            for (var i = ready.Count - 1; i >= 0; i--)
                stack.Push(new Frame(ready[i], run.JobId, next, i == ready.Count - 1, frame.Depth + 1));
        }
    }

    public static string Mermaid(StudioPipeline pipeline)
    {
        var runs = Runs(pipeline);
        var ids = NodeIds(runs);
        var text = new StringBuilder("flowchart TD\n");
        foreach (var run in runs)
            text.Append("    ").Append(ids[run]).Append("[\"").Append(Escape(Label(run), mermaid: true)).Append("<br/>").Append(Escape(DisplayText.Escape(run.Status ?? "?"), mermaid: true)).Append("\"]:::").Append(StatusClass(run.Status)).Append('\n');
        var byId = ById(runs);
        foreach (var run in runs)
            foreach (var parent in KnownParents(run, byId))
                text.Append("    ").Append(ids[byId[parent]]).Append(" --> ").Append(ids[run]).Append('\n');
        text.Append("    classDef done fill:#d4edda,stroke:#2e7d32\n");
        text.Append("    classDef running fill:#fff3cd,stroke:#f9a825\n");
        text.Append("    classDef failed fill:#f8d7da,stroke:#c62828\n");
        text.Append("    classDef waiting fill:#eceff1,stroke:#607d8b\n");
        return text.ToString();
    }

    public static string Dot(StudioPipeline pipeline)
    {
        var runs = Runs(pipeline);
        var ids = NodeIds(runs);
        var text = new StringBuilder();
        text.Append("digraph \"").Append(Escape(DisplayText.Escape(pipeline.Name ?? pipeline.Id ?? "pipeline"), mermaid: false)).Append("\" {\n");
        text.Append("    rankdir=TB;\n    node [shape=box, style=\"rounded,filled\"];\n");
        foreach (var run in runs)
            text.Append("    ").Append(ids[run]).Append(" [label=\"").Append(Escape(Label(run), mermaid: false)).Append("\\n").Append(Escape(DisplayText.Escape(run.Status ?? "?"), mermaid: false))
                .Append("\", fillcolor=\"").Append(Colour(run.Status)).Append("\"];\n");
        var byId = ById(runs);
        foreach (var run in runs)
            foreach (var parent in KnownParents(run, byId))
                text.Append("    ").Append(ids[byId[parent]]).Append(" -> ").Append(ids[run]).Append(";\n");
        text.Append("}\n");
        return text.ToString();
    }

    private static List<StudioPipelineJobRun> Runs(StudioPipeline pipeline) => (pipeline.JobRuns ?? new StudioPipelineJobRun[0]).Where(r => r != null).ToList();

    private static Dictionary<string, StudioPipelineJobRun> ById(List<StudioPipelineJobRun> runs) =>
        runs.Where(r => r.JobId != null).GroupBy(r => r.JobId!).ToDictionary(g => g.Key, g => g.First());

    private static List<string> KnownParents(StudioPipelineJobRun run, Dictionary<string, StudioPipelineJobRun> byId) =>
        (run.ParentJobIds ?? new string[0]).Where(p => p != null && byId.ContainsKey(p) && p != run.JobId).Distinct().ToList();

    private static Dictionary<StudioPipelineJobRun, string> NodeIds(List<StudioPipelineJobRun> runs)
    {
        var ids = new Dictionary<StudioPipelineJobRun, string>();
        for (var i = 0; i < runs.Count; i++) ids[runs[i]] = "n" + (i + 1).ToString(CultureInfo.InvariantCulture);
        return ids;
    }

    private static string Label(StudioPipelineJobRun run) => DisplayText.Escape(run.Name ?? run.JobId ?? "?");

    private static string StatusClass(string? status)
    {
        switch (status?.ToUpperInvariant())
        {
            case "COMPLETE": case "COMPLETED": return "done";
            case "RUNNING": case "INIT": case "QUEUED": case "PROVISIONING": return "running";
            case "FAILED": case "CANCELED": return "failed";
            default: return "waiting";
        }
    }

    private static string Colour(string? status)
    {
        switch (StatusClass(status))
        {
            case "done": return "#d4edda";
            case "running": return "#fff3cd";
            case "failed": return "#f8d7da";
            default: return "#eceff1";
        }
    }

    private static string Escape(string text, bool mermaid) =>
        mermaid ? text.Replace("\"", "#quot;").Replace("<", "#lt;").Replace(">", "#gt;")
                : text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
