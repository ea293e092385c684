using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Logs;
using StudioPS.Models;
using StudioPS.Session;
using StudioPS.Waiting;

namespace StudioPS.Commands;

/// <summary>
/// Creates a job from a script's text or file, uploading local files first; with -Wait, follows
/// its log to the host and emits the finished job (a failed one also as an error).
/// </summary>
[Cmdlet(VerbsCommon.New, "StudioJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = QuerySet)]
[OutputType(typeof(StudioJob))]
public sealed class NewStudioJobCommand : StudioCmdlet
{
    private const string QuerySet = "Query";
    private const string PathSet = "Path";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = QuerySet)]
    [AllowEmptyString]
    public string? Query { get; set; }

    /// <summary>A local script file: its text is the query; .py runs as PYTHON, anything else as SHELL.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    [ValidateSet("PYTHON", "SHELL", IgnoreCase = true)]
    public string? QueryType { get; set; }

    /// <summary>The job's name (query_name); defaults to the script file's name.</summary>
    [Parameter]
    public string? Name { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    /// <summary>A file of KEY=VALUE lines; merged with -Environment, whose values win.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EnvironmentFile { get; set; }

    [Parameter]
    [ValidateRange(1, 10000)]
    public int? Workers { get; set; }

    /// <summary>Local files to upload first; their ids are sent with the job.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? File { get; set; }

    /// <summary>Ids of files already uploaded with Send-StudioFile.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? FileId { get; set; }

    [Parameter]
    public string? PythonVersion { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Requirement { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RequirementsFile { get; set; }

    [Parameter]
    public string? Repository { get; set; }

    /// <summary>0 runs first, 5 last (the server's default).</summary>
    [Parameter]
    [ValidateRange(0, 5)]
    public int? Priority { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ClusterNameCompleter))]
    public string? ClusterName { get; set; }

    [Parameter]
    public string? ClusterId { get; set; }

    /// <summary>Start no earlier than this time; a later time makes the job SCHEDULED.</summary>
    [Parameter]
    public DateTimeOffset? StartAfter { get; set; }

    /// <summary>A cron schedule (5 fields or @daily style); the job becomes a TASK that spawns runs.</summary>
    [Parameter]
    public string? Cron { get; set; }

    [Parameter]
    public string? CredentialsName { get; set; }

    /// <summary>The job this run continues from (an id or a job from Get-StudioJob), reusing its checkpoints.</summary>
    [Parameter]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public object? RerunFrom { get; set; }

    /// <summary>Ignore checkpoints and run from the start (reset: true).</summary>
    [Parameter]
    public SwitchParameter IgnoreCheckpoints { get; set; }

    /// <summary>Wait for the job to end, writing its log to the host; emit the finished job.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: wait without writing the log.</summary>
    [Parameter]
    public SwitchParameter NoLog { get; set; }

    /// <summary>With -Wait -NoLog: seconds between status checks.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollIntervalSec { get; set; } = 2;

    protected override void ProcessRecord()
    {
        Execute(() =>
        {
            var builder = new JobRequestBuilder
            {
                Query = ParameterSetName == QuerySet ? Query : null,
                ScriptPath = Path == null ? null : FilePaths.ResolveFile(this, Path, "Path"),
                QueryType = QueryType,
                Name = Name,
                Environment = PlainValues(Environment),
                EnvironmentFile = EnvironmentFile == null ? null : FilePaths.ResolveFile(this, EnvironmentFile, "EnvironmentFile"),
                Workers = Workers,
                PythonVersion = PythonVersion,
                RequirementsFile = RequirementsFile == null ? null : FilePaths.ResolveFile(this, RequirementsFile, "RequirementsFile"),
                Repository = Repository,
                Priority = Priority,
                ClusterName = ClusterName,
                ClusterId = ClusterId,
                StartAfter = StartAfter,
                Cron = Cron,
                CredentialsName = CredentialsName,
                RerunFrom = RerunFromId(RerunFrom),
                IgnoreCheckpoints = IgnoreCheckpoints,
            };
            foreach (var id in FileId ?? new string[0]) builder.FileIds.Add(InputChecks.Id(id, "FileId", "file"));
            foreach (var requirement in Requirement ?? new string[0]) builder.Requirements.Add(requirement);
            if (NoLog && !Wait)
                throw new StudioInputException("NoLogWithoutWait", "NoLog", "-NoLog only applies with -Wait.");
            // Every local file is checked before anything is uploaded or created.
            var uploads = (File ?? new string[0]).Select(f => FilePaths.ResolveFile(this, f, "File", openForRead: true)).ToList();
            var team = RequireTeam();
            var input = builder.Build(team);
            var target = $"job '{input.QueryName ?? Summary(input.Query)}' in team '{team}'";
            if (!ShouldProcess(target, uploads.Count == 0 ? "Create" : $"Upload {uploads.Count} file(s) and create")) return;

            var launch = new JobLaunch(input)
            {
                Uploads = uploads,
                Wait = Wait,
                NoLog = NoLog,
                PollInterval = TimeSpan.FromSeconds(PollIntervalSec),
                StartAfter = StartAfter,
                Cron = Cron,
            };
            var connection = CurrentConnection;
            var observer = new Observer(this);
            JobLaunchResult result;
            try
            {
                result = Run(token => new JobLauncher(connection, this).LaunchAsync(launch, observer, token));
            }
            catch (PipelineStoppedException) when (Stopping && Wait && observer.JobId != null && !StudioJob.IsTerminalStatus(observer.LastStatus))
            {
                // Ctrl+C stops the waiting, not the job: say which job goes on and how to stop or follow it.
                StopNotice.Write(this, JobGuidance.Interrupted(observer.JobId, observer.LastStatus));
                throw;
            }
            if (NoLog && result.Finished) observer.WaitProgress.Complete();
            if (result.Warning != null) WriteWarning(StudioPS.Rendering.DisplayText.Escape(result.Warning));
            if (result.Finished)
            {
                // A COMPLETE job carries the dataset versions it created.
                var problem = Run(token => JobDatasetVersions.AttachAsync(connection.Client, team, result.Job, false, this, token));
                if (problem != null) WriteWarning(problem);
            }
            WriteObject(result.Job);
            if (result.Finished) ErrorRecords.WriteOutcome(this, result.Job);
        }, Path ?? Name);
    }

    /// <summary>Writes what the launch reports: upload progress, log lines to the host, status rounds as progress.</summary>
    private sealed class Observer : IJobLaunchObserver
    {
        private readonly NewStudioJobCommand _cmdlet;
        private readonly Dictionary<string, FileUploader> _uploads = new Dictionary<string, FileUploader>(StringComparer.Ordinal);

        public Observer(NewStudioJobCommand cmdlet)
        {
            _cmdlet = cmdlet;
            WaitProgress = JobWaitOutput.Progress(cmdlet);
        }

        public ProgressWriter WaitProgress { get; }

        /// <summary>The created job's id and its last status seen, for the line Ctrl+C leaves behind.</summary>
        public string? JobId { get; private set; }

        public string? LastStatus { get; private set; }

        public void Created(StudioJob job)
        {
            LastStatus = job.Status;
            JobId = job.Id;
        }

        public bool Waited { get; private set; }

        public IProgress<long>? UploadStarted(string path, long length)
        {
            var progress = new FileUploader(_cmdlet, path, length);
            lock (_uploads) _uploads[path] = progress;
            return progress;
        }

        public void UploadEnded(string path, StudioFile? file)
        {
            FileUploader? progress;
            lock (_uploads) _uploads.TryGetValue(path, out progress);
            progress?.Complete();
            if (file != null) _cmdlet.Runner.OnPipeline(() => _cmdlet.WriteVerbose($"Uploaded {path} as file {file.Id}."));
        }

        public Task LogEventsAsync(IReadOnlyList<LogEvent> logEvents, CancellationToken cancellationToken)
        {
            foreach (var e in logEvents)
                if (e.Job?.Status != null) LastStatus = e.Job.Status;
            // A frame's lines in one hand-over, at most two frames ahead of the host (CmdletRunner.OnPipelineAsync).
            return _cmdlet.Runner.OnPipelineAsync(() =>
            {
                foreach (var e in logEvents)
                {
                    if (e.Kind == LogEventKind.Line)
                        WriteLogLine(_cmdlet, e.Message ?? string.Empty);
                    else if (e.Kind == LogEventKind.Warning)
                        _cmdlet.WriteWarning(e.Message);
                    else if (e.Job != null)
                        _cmdlet.WriteVerbose($"Job {e.Job.Id} is {e.Job.Status}.");
                }
            }, cancellationToken);
        }

        public void WaitRound(IReadOnlyList<StudioJob> jobs, TimeSpan elapsed)
        {
            Waited = true;
            if (jobs.Count > 0 && jobs[0].Status != null) LastStatus = jobs[0].Status;
            JobWaitOutput.WriteRound(WaitProgress, jobs, elapsed);
        }
    }

    /// <summary>A log line for the host: the information stream, tagged StudioLog, shown as Write-Host shows text.</summary>
    internal static void WriteLogLine(Cmdlet cmdlet, string line) =>
        cmdlet.WriteInformation(new HostInformationMessage { Message = line, NoNewLine = false }, new[] { "PSHOST", "StudioLog" });

    private static string Summary(string query)
    {
        var first = query.Trim().Split('\n')[0].Trim();
        return first.Length <= 40 ? first : first.Substring(0, 40) + "...";
    }

    /// <summary>The hashtable with PowerShell's wrappers taken off its values, so Core sees plain .NET values.</summary>
    private static System.Collections.IDictionary? PlainValues(System.Collections.IDictionary? table)
    {
        if (table == null) return null;
        var plain = new System.Collections.Specialized.OrderedDictionary();
        foreach (System.Collections.DictionaryEntry entry in table)
            plain[entry.Key is PSObject key ? key.BaseObject : entry.Key] = entry.Value is PSObject value ? value.BaseObject : entry.Value;
        return plain;
    }

    /// <summary>-RerunFrom's job id: a StudioJob's Id, or the text given.</summary>
    private static string? RerunFromId(object? value)
    {
        var plain = value is PSObject wrapped ? wrapped.BaseObject : value;
        if (plain == null) return null;
        if (plain is StudioJob job)
            return job.Id ?? throw new StudioInputException("InvalidRerunFrom", "RerunFrom", "-RerunFrom got a job without an id; pass a job from Get-StudioJob or its id.");
        return Convert.ToString(plain, System.Globalization.CultureInfo.InvariantCulture);
    }
}
