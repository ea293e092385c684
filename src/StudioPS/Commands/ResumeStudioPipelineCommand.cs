using System.Management.Automation;
using StudioPS.Input;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>Resumes a paused pipeline (also one triggered with -Review).</summary>
[Cmdlet(VerbsLifecycle.Resume, "StudioPipeline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StudioPipeline))]
public sealed class ResumeStudioPipelineCommand : StudioCmdlet
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
            if (!ShouldProcess($"pipeline {name ?? id} in team '{team}'", "Resume")) return;
            var connection = CurrentConnection;
            var pipeline = Run(token => connection.Client.ResumePipelineAsync(new PipelineInput { TeamName = team, Name = name, PipelineId = id }, this, token));
            WriteVerbose(pipeline == null
                ? $"Resume: Studio accepted it for pipeline {name ?? id}."
                : $"Resume: pipeline {pipeline.Name ?? name ?? id} is {pipeline.Status}.");
            // The reply may be {}, empty or text: -PassThru reads the pipeline's state afresh.
            if (PassThru) WriteObject(Run(token => connection.Client.GetPipelineAsync(team, name, id, this, token)));
        }, Name ?? Id);
    }
}
