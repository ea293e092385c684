using System.Linq;
using System.Management.Automation;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Commands;

/// <summary>Reads one pipeline by name or id, or lists pipelines filtered by status and search text.</summary>
[Cmdlet(VerbsCommon.Get, "StudioPipeline", DefaultParameterSetName = ListSet)]
[OutputType(typeof(StudioPipeline))]
public sealed class GetStudioPipelineCommand : StudioCmdlet
{
    private const string ListSet = "List";
    private const string OneSet = "One";

    [Parameter(Position = 0, ParameterSetName = OneSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PipelineNameCompleter))]
    public string? Name { get; set; }

    [Parameter(ParameterSetName = OneSet, ValueFromPipelineByPropertyName = true)]
    public string? Id { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PipelineStatusCompleter))]
    public string[]? Status { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <summary>Text the server matches against pipeline names and datasets.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Search { get; set; }

    protected override void ProcessRecord()
    {
        Execute(() =>
        {
            var team = RequireTeam();
            var connection = CurrentConnection;
            if (ParameterSetName == OneSet)
            {
                var (name, id) = InputChecks.PipelineSelector(Name, Id);
                WriteObject(Run(token => connection.Client.GetPipelineAsync(team, name, id, this, token)));
                return;
            }
            var statuses = InputChecks.Statuses(Status);
            foreach (var warning in InputChecks.UnknownStatusWarnings(statuses, StudioPipeline.KnownStatuses, "pipeline")) WriteWarning(warning);
            RunStream(token => connection.Client.ListPipelinesAsync(team, statuses, First, Search, this, token), p => WriteObject(p));
        }, Name ?? Id);
    }
}
