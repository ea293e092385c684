using System.Collections.Generic;
using System.Management.Automation;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Commands;

/// <summary>Cancels jobs; with -Wait, waits until they are CANCELED (or otherwise ended).</summary>
[Cmdlet(VerbsLifecycle.Stop, "StudioJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StudioJob))]
public sealed class StopStudioJobCommand : StudioCmdlet
{
    private readonly List<string> _canceled = new List<string>();
    private string? _team;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoppableJobIdCompleter))]
    public string[]? Id { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Emit each job after it was canceled (after it ended, with -Wait).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollIntervalSec { get; set; } = 2;

    protected override void ProcessRecord()
    {
        foreach (var raw in Id!)
        {
            Execute(() =>
            {
                var id = InputChecks.Id(raw, "Id", "job");
                var team = _team = RequireTeam();
                var connection = CurrentConnection;
                var target = $"job {id} in team '{team}'";
                // A prompt names the job as a person knows it: one read, only when a prompt or -WhatIf shows it.
                if (ConfirmTargets.WillShow(this, ConfirmImpact.Medium))
                    target = ConfirmTargets.Job(Run(token => connection.Client.GetJobAsync(team, id, false, this, token)), team);
                if (!ShouldProcess(target, "Cancel")) return;
                var feedback = Run(token => connection.Client.CancelJobAsync(team, id, this, token));
                // The server's own words: redacted and with control characters escaped, like every trace.
                WriteVerbose(StudioPS.Rendering.DisplayText.Escape(connection.Redactor.Redact($"Job {id}: {feedback.Message ?? "cancel requested"}.")));
                if (Wait) _canceled.Add(id);
                else if (PassThru) WriteObject(Run(token => connection.Client.GetJobAsync(team, id, false, this, token)));
            }, raw);
        }
    }

    protected override void EndProcessing()
    {
        if (!Wait || _canceled.Count == 0 || _team == null) return;
        var team = _team;
        Execute(() => JobWaitOutput.Wait(this, CurrentConnection, team, _canceled, PollIntervalSec, null, emit: PassThru, canceledIsSuccess: true));
    }
}
