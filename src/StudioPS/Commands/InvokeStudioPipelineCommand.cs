using System.Linq;
using System.Management.Automation;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Commands;

/// <summary>
/// Triggers the pipeline that rebuilds a dataset (or several, in one pipeline) and what they depend on;
/// with -Review it waits PAUSED for review.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "StudioPipeline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StudioPipeline))]
public sealed class InvokeStudioPipelineCommand : StudioCmdlet
{
    /// <summary>@namespace.project.name, optionally with @version, or a short name; several make one pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TriggeredFrom")]
    [ArgumentCompleter(typeof(DatasetNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Dataset { get; set; }

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
            if (Dataset!.Length > 1 && !string.IsNullOrWhiteSpace(Version))
                throw new StudioInputException("VersionWithSeveralDatasets", "Version", "-Version applies to one dataset; with several, write @version on each name (@ns.project.name@1.0.0).");
            var datasets = Dataset.Select(d => DatasetName.Parse(d, Version)).ToList();
            var shown = string.Join(", ", datasets);
            if (Wait && Review)
                throw new StudioInputException("WaitWithReview", "Wait", "-Review creates the pipeline PAUSED until someone resumes it; -Wait would wait for that. Leave out one of them, or run Wait-StudioPipeline after Resume-StudioPipeline.");
            var team = RequireTeam();
            if (!ShouldProcess($"{(datasets.Count == 1 ? "dataset" : "datasets")} {shown} in team '{team}'", Review ? "Trigger a pipeline for review" : "Trigger a pipeline")) return;
            var connection = CurrentConnection;
            var official = new TriggerPipelinesInput { Datasets = datasets.Select(d => d.ToOfficialName()).ToList(), Review = Review, TeamName = team };
            var document = datasets.Count == 1 ? datasets[0].ToTrigger(team, Review) : null;
            var pipeline = Run(token => connection.Client.TriggerPipelineAsync(official, document, this, token));
            WriteVerbose($"Pipeline {pipeline.Name} ({pipeline.Id}) is {pipeline.Status} with {pipeline.Total} jobs.");
            if (Wait) PipelineWaitOutput.Wait(this, connection, team, pipeline.Name, pipeline.Id, PollIntervalSec, Timeout, pipeline);
            else WriteObject(pipeline);
        }, Dataset == null ? null : string.Join(",", Dataset));
    }
}
