using System.Management.Automation;
using StudioPS.Input;
using StudioPS.Models;
using StudioPS.Rendering;

namespace StudioPS.Commands;

/// <summary>
/// Draws a pipeline's graph of jobs: a tree in the console (parents before children, each with
/// its status), or Mermaid or Graphviz DOT text for documentation and diagrams.
/// </summary>
[Cmdlet(VerbsCommon.Show, "StudioPipeline", DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(string))]
public sealed class ShowStudioPipelineCommand : StudioCmdlet
{
    private const string ObjectSet = "InputObject";
    private const string NameSet = "Name";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public StudioPipeline? InputObject { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PipelineNameCompleter))]
    public string? Name { get; set; }

    [Parameter(ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    public string? Id { get; set; }

    [Parameter]
    [ValidateSet("Tree", "Mermaid", "Dot", IgnoreCase = true)]
    public string As { get; set; } = "Tree";

    protected override void ProcessRecord()
    {
        Execute(() =>
        {
            var pipeline = InputObject;
            if (pipeline == null)
            {
                var (name, id) = InputChecks.PipelineSelector(Name, Id);
                var team = RequireTeam();
                var connection = CurrentConnection;
                pipeline = Run(token => connection.Client.GetPipelineAsync(team, name, id, this, token));
            }
            switch (As.ToUpperInvariant())
            {
                case "MERMAID":
                    WriteObject(PipelineGraph.Mermaid(pipeline));
                    break;
                case "DOT":
                    WriteObject(PipelineGraph.Dot(pipeline));
                    break;
                default:
                    foreach (var line in PipelineGraph.Tree(pipeline)) WriteObject(line);
                    break;
            }
        }, InputObject ?? (object?)Name ?? Id);
    }
}
