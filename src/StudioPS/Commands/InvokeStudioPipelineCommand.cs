using System.Management.Automation;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Commands
{
    /// <summary>Triggers the pipeline that rebuilds a dataset and what it depends on; with -Review it waits PAUSED for review.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "StudioPipeline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(StudioPipeline))]
    public sealed class InvokeStudioPipelineCommand : StudioCmdlet
    {
        /// <summary>@namespace.project.name, optionally with @version, or a short name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TriggeredFrom")]
        public string? Dataset { get; set; }

        /// <summary>The dataset version; wins over an @version in -Dataset.</summary>
        [Parameter]
        public string? Version { get; set; }

        /// <summary>Create the pipeline PAUSED, for review before any job runs (Resume-StudioPipeline starts it).</summary>
        [Parameter]
        public SwitchParameter Review { get; set; }

        [Parameter]
        public SwitchParameter Wait { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int PollIntervalSec { get; set; } = 2;

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Timeout { get; set; }

        protected override void ProcessRecord()
        {
            Execute(() =>
            {
                var dataset = DatasetName.Parse(Dataset, Version);
                if (Wait && Review)
                    throw new StudioInputException("WaitWithReview", "Wait", "-Review creates the pipeline PAUSED until someone resumes it; -Wait would wait for that. Leave out one of them, or run Wait-StudioPipeline after Resume-StudioPipeline.");
                var team = RequireTeam();
                if (!ShouldProcess($"dataset {dataset} in team '{team}'", Review ? "Trigger a pipeline for review" : "Trigger a pipeline")) return;
                var connection = CurrentConnection;
                var pipeline = Run(token => connection.Client.TriggerPipelineAsync(dataset.ToTrigger(team, Review), this, token));
                WriteVerbose($"Pipeline {pipeline.Name} ({pipeline.Id}) is {pipeline.Status} with {pipeline.Total} jobs.");
                if (Wait) PipelineWaitOutput.Wait(this, connection, team, pipeline.Name, pipeline.Id, PollIntervalSec, Timeout);
                else WriteObject(pipeline);
            }, Dataset);
        }
    }
}
