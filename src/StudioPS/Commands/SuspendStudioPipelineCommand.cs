using System.Management.Automation;
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

    protected override void ProcessRecord() =>
        Execute(() => PipelineStateChange.Run(this, "Pause", Name, Id, PassThru,
            (client, input, trace, token) => client.PausePipelineAsync(input, trace, token)), Name ?? Id);
}
