using System.Management.Automation;
using StudioPS.Input;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>Renames a dataset or sets its description or attributes.</summary>
[Cmdlet(VerbsCommon.Set, "StudioDataset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StudioDataset))]
public sealed class SetStudioDatasetCommand : StudioCmdlet
{
    /// <summary>The dataset: namespace.project.name, or a short name that names one dataset.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DatasetNameCompleter))]
    public string? Name { get; set; }

    /// <summary>The dataset's new short name (it stays in its namespace and project).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NewName { get; set; }

    /// <summary>The new description; an empty string clears it.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Description { get; set; }

    /// <summary>The new attributes, replacing the old ones; an empty list clears them.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Attribute { get; set; }

    /// <summary>Emit the dataset as it is afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

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
        Execute(() =>
        {
            var selector = DatasetSelector.Parse(DatasetCommands.Qualify(Name, Namespace, Project), "Name", allowWildcards: false);
            if (NewName == null && Description == null && Attribute == null)
                throw new StudioInputException("NothingToSet", "NewName", "Give -NewName, -Description or -Attribute: there is nothing to change.");
            if (NewName != null)
            {
                var renamed = DatasetSelector.Parse(NewName, "NewName", allowWildcards: false);
                if (renamed.Namespace != null)
                    throw new StudioInputException("InvalidDatasetName", "NewName", $"-NewName '{NewName}' is a full name; give only the new short name (the dataset stays in its namespace and project).");
            }
            foreach (var attribute in Attribute ?? new string[0])
                if (string.IsNullOrWhiteSpace(attribute))
                    throw new StudioInputException("InvalidAttribute", "Attribute", "-Attribute holds an empty value; every attribute must be text.");
            var team = RequireTeam();
            var dataset = DatasetCommands.ResolveOne(this, CurrentConnection, team, selector);
            var changes = (NewName == null ? string.Empty : $"rename to {NewName}; ") + (Description == null ? string.Empty : "set the description; ")
                          + (Attribute == null ? string.Empty : "set the attributes; ");
            if (!ShouldProcess($"dataset {dataset.FullName} in team '{team}'", changes.TrimEnd(' ', ';'))) return;
            var connection = CurrentConnection;
            Run(token => connection.Client.EditDatasetAsync(team, dataset.Namespace!, dataset.Project!, dataset.Name!, NewName, Description,
                Attribute, this, token));
            if (PassThru)
            {
                var after = DatasetSelector.Parse(dataset.Namespace + "." + dataset.Project + "." + (NewName ?? dataset.Name), "Name", false);
                WriteObject(DatasetCommands.ResolveOne(this, CurrentConnection, team, after));
            }
        }, Name);
    }
}
