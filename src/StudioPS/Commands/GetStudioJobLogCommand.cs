using System.Management.Automation;
using StudioPS.Logs;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Commands
{
    /// <summary>Reads a job's log, one string per line; with -Follow, writes lines as they come until the job ends.</summary>
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

        protected override void ProcessRecord()
        {
            Execute(() =>
            {
                var id = InputChecks.Id(Id, "Id", "job");
                var team = RequireTeam();
                var connection = CurrentConnection;
                if (!Follow)
                {
                    foreach (var line in Run(token => connection.Client.GetJobLogsAsync(team, id, this, token))) WriteObject(line);
                    return;
                }
                var follower = new LogFollower(connection.Client, connection.LogSockets, team, id, this);
                var job = Run(token => follower.RunAsync(e =>
                {
                    if (e.Kind == LogEventKind.Line) return Runner.EmitAsync(e.Message ?? string.Empty, token);
                    Runner.OnPipeline(() => WriteVerbose($"Job {id} is {e.Job?.Status}."));
                    return System.Threading.Tasks.Task.CompletedTask;
                }, token));
                if (follower.Reconnects > 0) WriteVerbose($"The log stream was reconnected {follower.Reconnects} time(s); no line was repeated.");
                if (job != null) WriteVerbose($"Job {id} ended {job.Status}.");
            }, Id);
        }
    }
}
