using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>Removes a dataset, or one of its versions.</summary>
[Cmdlet(VerbsCommon.Remove, "StudioDataset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveStudioDatasetCommand : StudioCmdlet
{
    /// <summary>
    /// The dataset: namespace.project.name (optionally @version) or a short name that names one dataset.
    /// Takes datasets and versions from Get-StudioDataset.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DatasetNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only this version; the whole dataset when absent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>No confirmation prompt; Studio is also asked to remove versions still being built (force).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

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
        var targets = new List<(string Raw, DatasetSelector Selector, string? Version)>();
        Execute(() =>
        {
            foreach (var raw in Name!)
            {
                var selector = DatasetSelector.Parse(DatasetCommands.Qualify(raw, Namespace, Project), "Name", allowWildcards: false, allowVersion: true);
                targets.Add((raw, selector, DatasetCommands.VersionOf(selector, Version)));
            }
        });
        foreach (var (raw, selector, version) in targets)
        {
            Execute(() =>
            {
                var team = RequireTeam();
                var dataset = DatasetCommands.ResolveOne(this, CurrentConnection, team, selector);
                if (version != null) DatasetLookup.RequireVersion(dataset, version);
                var what = version == null
                    ? $"dataset {dataset.FullName} with all {dataset.Versions.Length} version(s), in team '{team}'"
                    : $"version {version} of dataset {dataset.FullName} in team '{team}'";
                if (!(Force && !DatasetCommands.WhatIfRequested(this) && !MyInvocation.BoundParameters.ContainsKey("Confirm")) && !ShouldProcess(what, "Remove")) return;
                var connection = CurrentConnection;
                Run(token => connection.Client.RemoveDatasetAsync(team, dataset.Namespace!, dataset.Project!, dataset.Name!, version, Force, this, token));
                WriteVerbose($"Removed {what}.");
            }, raw);
        }
    }
}
