using System.Collections.Generic;
using System.Management.Automation;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Commands;

/// <summary>
/// Waits for jobs to end (COMPLETE, FAILED, CANCELED or TASK) and emits each as it ends; a failed
/// or canceled job is also an error, so -ErrorAction Stop fails a runbook.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "StudioJob")]
[OutputType(typeof(StudioJob))]
public sealed class WaitStudioJobCommand : StudioCmdlet
{
    private readonly List<string> _ids = new List<string>();
    private string? _team;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Seconds to wait at most; a job still going then is an OperationTimeout error.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollIntervalSec { get; set; } = 2;

    protected override void ProcessRecord()
    {
        // Ids from the whole pipeline are gathered, so one poll round serves them all.
        foreach (var raw in Id!)
            Execute(() =>
            {
                _ids.Add(InputChecks.Id(raw, "Id", "job"));
                _team = RequireTeam();
            }, raw);
    }

    protected override void EndProcessing()
    {
        if (_ids.Count == 0 || _team == null) return;
        var team = _team;
        Execute(() => JobWaitOutput.Wait(this, CurrentConnection, team, _ids, PollIntervalSec, Timeout, emit: true));
    }
}
