using System.Collections.Generic;
using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Logs;
using StudioPS.Models;
using StudioPS.Waiting;

namespace StudioPS.Commands;

/// <summary>
/// Reads a job's log, one string per line (assembled from the raw output: CRLF or LF, a line cut across
/// messages joined); with -Follow, writes lines as they come until the job ends; with -Raw, the output
/// chunks exactly as Studio sent them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "StudioJobLog")]
[OutputType(typeof(string))]
public sealed class GetStudioJobLogCommand : StudioCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string? Id { get; set; }

    /// <summary>Follow the log over Studio's websocket (reconnecting as needed) until the job ends.</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>Emit the output chunks untouched, as Studio sent them (their own line breaks included).</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    protected override void ProcessRecord()
    {
        Execute(() =>
        {
            var id = InputChecks.Id(Id, "Id", "job");
            var team = RequireTeam();
            var connection = CurrentConnection;
            if (!Follow)
            {
                var read = Raw
                    ? Run(token => connection.Client.GetJobLogChunksAsync(team, id, this, token))
                    : Run(token => connection.Client.GetJobLogsAsync(team, id, this, token));
                foreach (var item in read) WriteObject(item);
                return;
            }
            var follower = new LogFollower(connection.Client, connection.LogSockets, team, id, this, new LogFollowOptions { Raw = Raw });
            string? lastStatus = null;
            StudioJob? job;
            try
            {
                // The pipeline thread pulls a frame's lines at a time (PushedStream): while the socket has data,
                // reading, parsing and writing take turns on this thread, with no hand-over between threads.
                var frames = new PushedStream<IReadOnlyList<LogEvent>, StudioJob?>((emit, token) => follower.RunBatchedAsync(emit, token));
                RunStream(token => frames, batch =>
                {
                    foreach (var e in batch)
                    {
                        switch (e.Kind)
                        {
                            case LogEventKind.Line:
                            case LogEventKind.Chunk:
                                WriteObject(e.Message ?? string.Empty);
                                break;
                            case LogEventKind.Warning:
                                WriteWarning(e.Message);
                                break;
                            default:
                                if (e.Job?.Status != null) lastStatus = e.Job.Status;
                                WriteVerbose($"Job {id} is {e.Job?.Status}.");
                                break;
                        }
                    }
                });
                job = frames.Result;
            }
            catch (PipelineStoppedException) when (Stopping)
            {
                if (!StudioJob.IsTerminalStatus(lastStatus)) StopNotice.Write(this, JobGuidance.Interrupted(id, lastStatus));
                throw;
            }
            if (follower.Reconnects > 0) WriteVerbose($"The log stream was reconnected {follower.Reconnects} time(s); no line was repeated.");
            if (job == null) return;
            WriteVerbose($"Job {id} ended {job.Status}.");
            // A log that ends without the job completing says how it ended, as New-StudioJob -Wait does.
            var status = job.Status?.ToUpperInvariant();
            if (status == "CANCELED")
                WriteWarning(JobGuidance.Canceled(id, job.Name));
            else if (status == "FAILED")
                // The stream's last frame may lack the exit code and message: read the job once.
                ErrorRecords.WriteOutcome(this, job.ExitCode != null ? job : Run(token => connection.Client.GetJobAsync(team, id, false, this, token)));
        }, Id);
    }
}
