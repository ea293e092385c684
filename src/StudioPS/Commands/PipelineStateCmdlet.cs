using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Commands
{
    /// <summary>Suspend- and Resume-StudioPipeline: the same selector, confirmation and -PassThru around one call.</summary>
    public abstract class PipelineStateCmdlet : StudioPipelineCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PipelineNameCompleter))]
        public string? Name { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Id { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>What ShouldProcess and the verbose line call the action.</summary>
        protected abstract string Action { get; }

        protected abstract Task<StudioPipeline> CallAsync(StudioClient client, PipelineInput input, CancellationToken cancellationToken);

        protected override void ProcessRecord()
        {
            Execute(() =>
            {
                var (name, id) = Selector(Name, Id);
                var team = RequireTeam();
                if (!ShouldProcess($"pipeline {name ?? id} in team '{team}'", Action)) return;
                var connection = CurrentConnection;
                var pipeline = Run(token => CallAsync(connection.Client, new PipelineInput { TeamName = team, Name = name, PipelineId = id }, token));
                WriteVerbose($"{Action}: pipeline {pipeline.Name ?? name ?? id} is {pipeline.Status}.");
                if (PassThru) WriteObject(pipeline);
            }, Name ?? Id);
        }
    }

    /// <summary>Pauses a pipeline: running jobs finish, no new job starts until it is resumed.</summary>
    [Cmdlet(VerbsLifecycle.Suspend, "StudioPipeline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(StudioPipeline))]
    public sealed class SuspendStudioPipelineCommand : PipelineStateCmdlet
    {
        protected override string Action => "Pause";

        protected override Task<StudioPipeline> CallAsync(StudioClient client, PipelineInput input, CancellationToken cancellationToken) =>
            client.PausePipelineAsync(input, this, cancellationToken);
    }

    /// <summary>Resumes a paused pipeline (also one triggered with -Review).</summary>
    [Cmdlet(VerbsLifecycle.Resume, "StudioPipeline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(StudioPipeline))]
    public sealed class ResumeStudioPipelineCommand : PipelineStateCmdlet
    {
        protected override string Action => "Resume";

        protected override Task<StudioPipeline> CallAsync(StudioClient client, PipelineInput input, CancellationToken cancellationToken) =>
            client.ResumePipelineAsync(input, this, cancellationToken);
    }
}
