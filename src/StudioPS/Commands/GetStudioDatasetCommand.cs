using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>Lists datasets, or reads them by full name, short name or wildcard pattern.</summary>
[Cmdlet(VerbsCommon.Get, "StudioDataset")]
[OutputType(typeof(StudioDataset))]
public sealed class GetStudioDatasetCommand : StudioCmdlet
{
    /// <summary>namespace.project.name, a short name, or a wildcard pattern; all datasets when absent.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DatasetNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Also datasets and versions that were removed.</summary>
    [Parameter]
    public SwitchParameter IncludeRemoved { get; set; }

    /// <summary>The namespace of a short -Name; bound from piped datasets, so they are named exactly.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>The project of a short -Name; bound from piped datasets.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Project { get; set; }

    protected override void ProcessRecord()
    {
        var names = Name ?? new[] { "*" };
        // Every name is checked before the first request.
        var selectors = new List<(string Raw, DatasetSelector Selector)>();
        Execute(() =>
        {
            foreach (var raw in names) selectors.Add((raw, DatasetSelector.Parse(DatasetCommands.Qualify(raw, Namespace, Project), "Name", allowWildcards: true)));
        });
        foreach (var (raw, selector) in selectors)
        {
            Execute(() =>
            {
                var team = RequireTeam();
                var connection = CurrentConnection;
                RunStream(token => DatasetLookup.FindAsync(connection.Client, team, selector, IncludeRemoved, this, token), d => WriteObject(d));
            }, raw);
        }
    }
}
