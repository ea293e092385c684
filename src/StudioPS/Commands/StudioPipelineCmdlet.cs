using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Session;
using StudioPS.Input;

namespace StudioPS.Commands
{
    /// <summary>What the pipeline cmdlets share: the name/id selector, waiting with progress, and a failed pipeline as an error.</summary>
    public abstract class StudioPipelineCmdlet : StudioApiCmdlet
    {
        private const int WaitActivityId = 4310;

        /// <summary>Checks the selector before anything is sent: a name, an id, or both.</summary>
        protected static (string? Name, string? Id) Selector(string? name, string? id)
        {
            if (string.IsNullOrWhiteSpace(name) && string.IsNullOrWhiteSpace(id))
                throw new StudioInputException("PipelineSelectorRequired", "Name",
                    "Name the pipeline with -Name or -Id (Get-StudioPipeline lists them).");
            if (name != null && (name.Trim().Length == 0 || name.Any(char.IsControl)))
                throw new StudioInputException("InvalidPipelineName", "Name", $"-Name '{name}' is not a pipeline name.");
            return (name?.Trim(), id == null ? null : InputChecks.Id(id, "Id", "pipeline"));
        }

        /// <summary>Waits with progress (completed of total, the running jobs), emits the final pipeline, and reports its outcome.</summary>
        protected void WaitForPipeline(StudioConnection connection, string team, string? name, string? id, int pollIntervalSec, int? timeoutSec)
        {
            var waiter = new PipelineWaiter(connection.Client, team, this);
            var (pipeline, timedOut) = Run(token => waiter.WaitAsync(name, id, TimeSpan.FromSeconds(pollIntervalSec),
                timeoutSec.HasValue ? TimeSpan.FromSeconds(timeoutSec.Value) : (TimeSpan?)null,
                current =>
                {
                    OnPipeline(() => WriteProgress(Progress(current)));
                    return Task.CompletedTask;
                }, token));
            WriteProgress(new ProgressRecord(WaitActivityId, "Waiting for a Studio pipeline", "Done") { RecordType = ProgressRecordType.Completed });
            WriteObject(pipeline);
            if (timedOut)
            {
                WriteError(ErrorRecords.Create("WaitTimeout", ErrorCategory.OperationTimeout,
                    string.Format(CultureInfo.InvariantCulture, "Pipeline {0} did not finish within {1} s; it is {2} with {3} of {4} jobs done.",
                        pipeline.Name ?? pipeline.Id, timeoutSec, pipeline.Status, pipeline.Completed, pipeline.Total), pipeline));
                return;
            }
            ReportOutcome(pipeline);
        }

        protected void ReportOutcome(StudioPipeline pipeline)
        {
            var status = pipeline.Status?.ToUpperInvariant();
            if (status != "FAILED" && status != "CANCELED") return;
            var message = string.Format(CultureInfo.InvariantCulture, "Pipeline {0} {1} after {2} of {3} jobs{4}",
                pipeline.Name ?? pipeline.Id, status, pipeline.Completed, pipeline.Total,
                string.IsNullOrEmpty(pipeline.ErrorMessage) ? "." : ": " + pipeline.ErrorMessage);
            WriteError(ErrorRecords.Create(status == "FAILED" ? "PipelineFailed" : "PipelineCanceled", ErrorCategory.OperationStopped, message, pipeline,
                new StudioPipelineFailedException(message, pipeline)));
        }

        private static ProgressRecord Progress(StudioPipeline pipeline)
        {
            var running = (pipeline.JobRuns ?? new StudioPipelineJobRun[0])
                .Where(r => string.Equals(r.Status, "RUNNING", StringComparison.OrdinalIgnoreCase)).Select(r => r.Name ?? r.JobId).Take(5).ToList();
            var status = string.Format(CultureInfo.InvariantCulture, "{0}: {1} of {2} jobs done{3}", pipeline.Status,
                pipeline.Completed ?? 0, pipeline.Total?.ToString(CultureInfo.InvariantCulture) ?? "?",
                running.Count == 0 ? string.Empty : "; running: " + string.Join(", ", running));
            return new ProgressRecord(WaitActivityId, $"Waiting for pipeline {pipeline.Name ?? pipeline.Id}", status)
            {
                PercentComplete = pipeline.PercentComplete ?? 0,
            };
        }
    }

    /// <summary>The exception inside a PipelineFailed / PipelineCanceled error record; it carries the pipeline.</summary>
    public sealed class StudioPipelineFailedException : Exception
    {
        public StudioPipelineFailedException(string message, StudioPipeline pipeline) : base(message)
        {
            Pipeline = pipeline;
        }

        public StudioPipeline Pipeline { get; }
    }

    /// <summary>Completes pipeline names from the team's recent pipelines (cached 30 s).</summary>
    public sealed class PipelineNameCompleter : IArgumentCompleter
    {
        public System.Collections.Generic.IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            var pattern = CompletionSource.Pattern(wordToComplete);
            var pipelines = CompletionSource.Get("pipelines", fakeBoundParameters, TimeSpan.FromSeconds(30), needsTeam: true,
                (connection, team, token) => connection.Client.ListPipelinesAsync(team!, null, 30, null, NullTrace.Instance, token));
            return pipelines.Where(p => p.Name != null && pattern.IsMatch(p.Name))
                .Select(p => new CompletionResult(TeamCompleter.Quote(p.Name!), p.Name, CompletionResultType.ParameterValue,
                    $"{p.Name} — {p.Status} {p.Completed}/{p.Total} — {p.TriggeredFrom}"));
        }
    }
}
