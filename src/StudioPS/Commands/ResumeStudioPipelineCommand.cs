using System.Management.Automation;
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

    protected override void ProcessRecord() =>
        Execute(() => PipelineStateChange.Run(this, "Resume", Name, Id, PassThru,
            (client, input, trace, token) => client.ResumePipelineAsync(input, trace, token)), Name ?? Id);
}
