using System.Management.Automation;
using StudioPS.Input;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>
/// Waits for a pipeline to end with progress (completed of total, the running jobs), emits the
/// final pipeline, and writes an error for FAILED or CANCELED.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "StudioPipeline")]
[OutputType(typeof(StudioPipeline))]
public sealed class WaitStudioPipelineCommand : StudioCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PipelineNameCompleter))]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Id { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollIntervalSec { get; set; } = 2;

    protected override void ProcessRecord()
    {
        Execute(() =>
        {
            var (name, id) = InputChecks.PipelineSelector(Name, Id);
            var team = RequireTeam();
            PipelineWaitOutput.Wait(this, CurrentConnection, team, name, id, PollIntervalSec, Timeout);
        }, Name ?? Id);
    }
}
