using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands
{
    /// <summary>What the job cmdlets share: waiting with progress, and a failed or canceled job as an error.</summary>
    public abstract class StudioJobCmdlet : StudioApiCmdlet
    {
        private const int WaitActivityId = 4210;

        /// <summary>
        /// Waits for the jobs, writing progress; each job is written as it ends (when
        /// <paramref name="emit"/>), FAILED and CANCELED ones also as errors, and a time-out is an
        /// OperationTimeout error for each job still going.
        /// </summary>
        protected void WaitForJobs(StudioConnection connection, string team, IReadOnlyCollection<string> ids, int pollIntervalSec,
            int? timeoutSec, bool emit, bool canceledIsSuccess = false)
        {
            if (ids.Count == 0) return;
            var waiter = new JobWaiter(connection.Client, team, this);
            var started = DateTimeOffset.UtcNow;
            var unfinished = Run(token => waiter.WaitAsync(ids, TimeSpan.FromSeconds(pollIntervalSec),
                timeoutSec.HasValue ? TimeSpan.FromSeconds(timeoutSec.Value) : (TimeSpan?)null,
                job =>
                {
                    OnPipeline(() =>
                    {
                        if (emit) WriteObject(job);
                        // A job the caller itself canceled ending CANCELED is the outcome asked for, not an error.
                        if (!(canceledIsSuccess && string.Equals(job.Status, "CANCELED", StringComparison.OrdinalIgnoreCase))) ReportOutcome(job);
                    });
                    return Task.CompletedTask;
                },
                jobs =>
                {
                    OnPipeline(() => WriteWaitProgress(jobs, started));
                    return Task.CompletedTask;
                },
                token));
            WriteProgress(new ProgressRecord(WaitActivityId, "Waiting for Studio jobs", "Done") { RecordType = ProgressRecordType.Completed });
            foreach (var job in unfinished)
            {
                WriteError(ErrorRecords.Create("WaitTimeout", ErrorCategory.OperationTimeout,
                    string.Format(CultureInfo.InvariantCulture, "Job {0} did not finish within {1} s; its status is {2}.",
                        job.Id, timeoutSec, job.Status ?? "unknown"), job));
            }
        }

        /// <summary>A job that ended FAILED or CANCELED is a non-terminating error, so -ErrorAction Stop fails a runbook.</summary>
        protected void ReportOutcome(StudioJob job)
        {
            var status = job.Status?.ToUpperInvariant();
            if (status == "FAILED")
            {
                var message = string.Format(CultureInfo.InvariantCulture, "Job {0}{1} FAILED with exit code {2}{3}",
                    job.Id, job.Name == null ? string.Empty : " (" + job.Name + ")",
                    job.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown",
                    string.IsNullOrEmpty(job.ErrorMessage) ? "." : ": " + job.ErrorMessage);
                WriteError(ErrorRecords.Create("JobFailed", ErrorCategory.OperationStopped, message, job,
                    new StudioJobFailedException(message, job)));
            }
            else if (status == "CANCELED")
            {
                var message = $"Job {job.Id}{(job.Name == null ? string.Empty : " (" + job.Name + ")")} was CANCELED.";
                WriteError(ErrorRecords.Create("JobCanceled", ErrorCategory.OperationStopped, message, job,
                    new StudioJobFailedException(message, job)));
            }
        }

        private void WriteWaitProgress(IReadOnlyList<StudioJob> jobs, DateTimeOffset started)
        {
            var done = jobs.Count(j => j.IsTerminal);
            var running = jobs.Where(j => !j.IsTerminal).Take(5).Select(j => (j.Name ?? j.Id) + " " + (j.Status ?? "?"));
            var elapsed = DateTimeOffset.UtcNow - started;
            var record = new ProgressRecord(WaitActivityId, $"Waiting for {jobs.Count} Studio job{(jobs.Count == 1 ? string.Empty : "s")}",
                jobs.Count == 1
                    ? $"{jobs[0].Status ?? "?"} after {elapsed.TotalSeconds:0} s"
                    : $"{done} of {jobs.Count} finished; {string.Join(", ", running)}")
            {
                PercentComplete = jobs.Count == 0 ? 100 : done * 100 / jobs.Count,
            };
            WriteProgress(record);
            var child = WaitActivityId + 1;
            foreach (var job in jobs.Take(10))
            {
                WriteProgress(new ProgressRecord(child++, $"Job {job.Name ?? job.Id}", job.Status ?? "?")
                {
                    ParentActivityId = WaitActivityId,
                    RecordType = job.IsTerminal ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                });
            }
        }
    }

    /// <summary>The exception inside a JobFailed / JobCanceled error record; it carries the job.</summary>
    public sealed class StudioJobFailedException : Exception
    {
        public StudioJobFailedException(string message, StudioJob job) : base(message)
        {
            Job = job;
        }

        public StudioJob Job { get; }

        public int? ExitCode => Job.ExitCode;
    }
}
