namespace StudioPS.Emulator.State;

/// <summary>One node of the dataset dependency graph pipelines are built from.</summary>
public sealed class DatasetDef
{
    /// <summary>Full name, "@namespace.project.name".</summary>
    public string Name { get; set; } = "";
    public string Version { get; set; } = "1.0.0";
    public List<string> DependsOn { get; set; } = [];
    /// <summary>The query the dataset's job runs (see the query convention in docs/EMULATOR.md).</summary>
    public string? Query { get; set; }
    /// <summary>When true the dataset's job fails whatever its query says.</summary>
    public bool Fail { get; set; }

    public string EffectiveQuery()
    {
        string q = string.IsNullOrWhiteSpace(Query)
            ? $"print('Building {Name}@{Version}')\ntime.sleep(0.5)\nprint('Saved {Name}@{Version}')"
            : Query!;
        return Fail ? q + $"\nraise RuntimeError(\"Building {Name} failed\")" : q;
    }

    /// <summary>The graph demos and tests get without any settings file.</summary>
    public static List<DatasetDef> Defaults() =>
    [
        new() { Name = "@emulator.demo.raw" },
        new() { Name = "@emulator.demo.labels" },
        new() { Name = "@emulator.demo.clean", DependsOn = ["@emulator.demo.raw"] },
        new() { Name = "@emulator.demo.features", DependsOn = ["@emulator.demo.clean", "@emulator.demo.labels"] },
        new()
        {
            Name = "@emulator.demo.broken", DependsOn = ["@emulator.demo.raw"],
            Query = "print('Reading @emulator.demo.raw')\nraise ValueError(\"column 'label' not found in @emulator.demo.raw\")",
        },
    ];

    /// <summary>Checks names and that every dependency exists and the graph has no cycle.</summary>
    public static string? Validate(IReadOnlyList<DatasetDef> defs)
    {
        var byName = new Dictionary<string, DatasetDef>(StringComparer.Ordinal);
        foreach (var d in defs)
        {
            if (string.IsNullOrWhiteSpace(d.Name)) return "datasets: every dataset needs a name";
            if (!d.Name.StartsWith('@') || d.Name.Split('.').Length != 3)
                return $"datasets: name '{d.Name}' must look like @namespace.project.name";
            if (!byName.TryAdd(d.Name, d)) return $"datasets: '{d.Name}' is defined twice";
        }
        foreach (var d in defs)
            foreach (var p in d.DependsOn)
                if (!byName.ContainsKey(p)) return $"datasets: '{d.Name}' depends on unknown dataset '{p}'";

        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        string? Visit(DatasetDef d)
        {
            if (state.TryGetValue(d.Name, out int s)) return s == 1 ? $"datasets: dependency cycle through '{d.Name}'" : null;
            state[d.Name] = 1;
            foreach (var p in d.DependsOn)
                if (Visit(byName[p]) is { } err) return err;
            state[d.Name] = 2;
            return null;
        }
        foreach (var d in defs)
            if (Visit(d) is { } err) return err;
        return null;
    }
}
