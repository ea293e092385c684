using System;
using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Commands;

/// <summary>
/// Drops a job from a pipeline's graph. Studio allows it only while the pipeline is PAUSED and
/// the job is PENDING.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "StudioPipelineJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(StudioPipeline))]
public sealed class RemoveStudioPipelineJobCommand : StudioCmdlet
{
    private static readonly System.Text.RegularExpressions.Regex Uuid =
        new System.Text.RegularExpressions.Regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    /// <summary>The pipeline's name, or its id (a uuid).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(PipelineNameCompleter))]
    public string? Pipeline { get; set; }

    /// <summary>The job run's id (JobId of a StudioPipelineJobRun), from the pipeline too.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public string? JobId { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Execute(() =>
        {
            var isId = Pipeline != null && Uuid.IsMatch(Pipeline.Trim());
            var (name, id) = InputChecks.PipelineSelector(isId ? null : Pipeline, isId ? Pipeline : null);
            var jobId = InputChecks.Id(JobId, "JobId", "job");
            var team = RequireTeam();
            var connection = CurrentConnection;
            var target = $"job {jobId} of pipeline {name ?? id} in team '{team}'";
            // A prompt names the run's dataset and pipeline: one read, only when a prompt or -WhatIf shows it.
            if (ConfirmTargets.WillShow(this, ConfirmImpact.High))
                target = ConfirmTargets.PipelineJobRun(Run(token => connection.Client.GetPipelineAsync(team, name, id, this, token)), jobId, team);
            if (!ShouldProcess(target, "Remove from the pipeline")) return;
            StudioPipeline pipeline;
            try
            {
                pipeline = Run(token => connection.Client.RemovePipelineJobAsync(
                    new PipelineInput { TeamName = team, Name = name, PipelineId = id, JobId = jobId }, this, token));
            }
            catch (StudioApiException error) when (error.Kind == StudioErrorKind.BadRequest || error.Kind == StudioErrorKind.Conflict
                                                   || error.Kind == StudioErrorKind.OperationFailed)
            {
                throw new StudioApiException(error.Kind,
                    $"Studio removes a job only from a PAUSED pipeline, and only while the job is PENDING (Suspend-StudioPipeline first). Studio said: {error.ServerMessage ?? error.Message}",
                    error.StatusCode, error.ServerMessage, error.Method, error.Path, false, null, error);
            }
            WriteVerbose($"Removed job {jobId}; pipeline {pipeline.Name} now has {pipeline.Total} jobs.");
            if (PassThru) WriteObject(pipeline);
        }, JobId);
    }
}
