using System.Management.Automation;
using StudioPS.Input;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>Pauses a pipeline: running jobs finish, no new job starts until it is resumed.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "StudioPipeline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StudioPipeline))]
public sealed class SuspendStudioPipelineCommand : StudioCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PipelineNameCompleter))]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Id { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Execute(() =>
        {
            var (name, id) = InputChecks.PipelineSelector(Name, Id);
            var team = RequireTeam();
            if (!ShouldProcess($"pipeline {name ?? id} in team '{team}'", "Pause")) return;
            var connection = CurrentConnection;
            var pipeline = Run(token => connection.Client.PausePipelineAsync(new PipelineInput { TeamName = team, Name = name, PipelineId = id }, this, token));
            WriteVerbose(pipeline == null
                ? $"Pause: Studio accepted it for pipeline {name ?? id}."
                : $"Pause: pipeline {pipeline.Name ?? name ?? id} is {pipeline.Status}.");
            // The reply may be {}, empty or text: -PassThru reads the pipeline's state afresh.
            if (PassThru) WriteObject(Run(token => connection.Client.GetPipelineAsync(team, name, id, this, token)));
        }, Name ?? Id);
    }
}
