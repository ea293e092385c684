using System.Buffers;
using System.Text.Json;

namespace StudioPS.Emulator.State;

/// <summary>Job statuses as the service names them.</summary>
public static class JobStatus
{
    public const string Created = "CREATED";
    public const string Scheduled = "SCHEDULED";
    public const string Queued = "QUEUED";
    public const string Init = "INIT";
    public const string Running = "RUNNING";
    public const string Complete = "COMPLETE";
    public const string Failed = "FAILED";
    public const string Canceling = "CANCELING";
    public const string Canceled = "CANCELED";
    public const string Task = "TASK";

    public static bool IsTerminal(string status) => status is Complete or Failed or Canceled or Task;
}

/// <summary>
/// One entry of a job's history: a log line (LogId &gt; 0) or a status change carrying the serialized
/// {"job": ...} frame the websocket sends for it.
/// </summary>
public sealed record JobEvent(int LogId, string? Message, byte[]? JobFrame);


/// <summary>
/// A job and its history. Fields change only under <see cref="Gate"/>; readers serialize under it too, so a
/// response never shows a half-applied change (for example COMPLETE without finished_at).
/// </summary>
public sealed class Job
{
    public readonly object Gate = new();

    public required string Id { get; init; }
    public required string Team { get; init; }
    public required string Url { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public required string Query { get; init; }
    public required string QueryType { get; init; }
    public required string Name { get; init; }
    public int Workers { get; init; } = 1;
    public string PythonVersion { get; init; } = "3.12";
    public string? Requirements { get; init; }
    public string? Repository { get; init; }
    public Dictionary<string, string> Environment { get; init; } = [];
    public int Priority { get; init; } = 5;
    public int? ComputeClusterId { get; init; }
    public string? ComputeClusterName { get; init; }
    public DateTime? StartAfter { get; init; }
    public string? CronExpression { get; init; }
    public string? CredentialsName { get; init; }
    public List<string> Files { get; init; } = [];
    public string? RerunFromJobId { get; init; }
    public bool? ResetCheckpoints { get; init; }
    public string? RunGroupId { get; init; }

    // Mutable state, guarded by Gate.
    public string Status { get; private set; } = JobStatus.Created;
    public DateTime UpdatedAt { get; private set; }
    public DateTime? QueuedAt { get; private set; }
    public DateTime? InitAt { get; private set; }
    public DateTime? StartedAt { get; private set; }
    public DateTime? FinishedAt { get; private set; }
    public int? ExitCode { get; private set; }
    public string? ErrorMessage { get; private set; }

    /// <summary>Cancels the job's clock; null for jobs that have no clock (seeded jobs, TASK templates).</summary>
    public CancellationTokenSource? Clock { get; set; }

    /// <summary>Called once when the job reaches a terminal status (pipelines use it to advance).</summary>
    public Action<Job>? OnTerminal { get; set; }

    List<JobEvent>? _events;
    int _lastLogId;
    TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsTerminal { get { lock (Gate) return JobStatus.IsTerminal(Status); } }

    /// <summary>Sets the status a job is created with, before anyone can see it (no event yet).</summary>
    public void InitStatus(string status, DateTime? finishedAt = null, int? exitCode = null, string? error = null)
    {
        Status = status;
        UpdatedAt = CreatedAt;
        FinishedAt = finishedAt;
        ExitCode = exitCode;
        ErrorMessage = error;
        if (finishedAt is not null)
        {
            QueuedAt = InitAt = StartedAt = CreatedAt;
        }
    }

    /// <summary>Records the creation status as the first event of the history.</summary>
    public void RecordInitialEvent()
    {
        lock (Gate) AddEvent(new JobEvent(0, null, JobFrame()));
    }

    /// <summary>Moves to a new status, stamping times, and records the change. Returns false if already terminal.</summary>
    public bool SetStatus(string status, int? exitCode = null, string? error = null)
    {
        Action<Job>? terminal = null;
        lock (Gate)
        {
            // A TASK template may still be canceled; otherwise terminal is final, and a job being
            // canceled only moves on to CANCELED (a late clock step must not revive it).
            bool templateCancel = Status == JobStatus.Task && status is JobStatus.Canceling or JobStatus.Canceled;
            if (JobStatus.IsTerminal(Status) && !templateCancel) return false;
            if (Status == JobStatus.Canceling && status != JobStatus.Canceled) return false;
            var now = DateTime.UtcNow;
            Status = status;
            UpdatedAt = now;
            switch (status)
            {
                case JobStatus.Queued: QueuedAt ??= now; break;
                case JobStatus.Init: InitAt ??= now; break;
                case JobStatus.Running: StartedAt ??= now; break;
            }
            if (JobStatus.IsTerminal(status))
            {
                FinishedAt = now;
                ExitCode = exitCode;
                ErrorMessage = error;
                terminal = OnTerminal;
            }
            AddEvent(new JobEvent(0, null, JobFrame()));
        }
        terminal?.Invoke(this);
        return true;
    }

    /// <summary>Writes one line of output (the job printed it, line break included).</summary>
    public void Log(string message) => Log([message]);

    /// <summary>Writes lines of output: each ends LF, every fourth CRLF, as real jobs' output mixes both.</summary>
    public void Log(IEnumerable<string> messages)
    {
        var text = new System.Text.StringBuilder();
        lock (Gate)
        {
            foreach (var m in messages) text.Append(m).Append(++_linesWritten % 4 == 0 ? "\r\n" : "\n");
            WriteLocked(text.ToString());
        }
    }

    /// <summary>Writes raw output as it is (sys.stdout.write): no line break is added.</summary>
    public void Write(string output)
    {
        lock (Gate) WriteLocked(output);
    }

    /// <summary>
    /// Output becomes log records the way the real service stores them: raw chunks cut where the
    /// output buffer happened to be flushed, so a record may hold several lines, part of one, or end
    /// between a CR and its LF. Each chunk gets the next id. Caller holds Gate.
    /// </summary>
    void WriteLocked(string output)
    {
        if (output.Length == 0) return;
        _events ??= [];
        int at = 0;
        while (at < output.Length)
        {
            int take = Math.Min(output.Length - at, 1 + _chunker.Next(MaxChunkChars));
            // Never split a surrogate pair: a chunk is valid text on its own.
            if (at + take < output.Length && char.IsHighSurrogate(output[at + take - 1])) take++;
            _events.Add(new JobEvent(++_lastLogId, output.Substring(at, take), null));
            at += take;
        }
        Signal();
    }

    const int MaxChunkChars = 160;
    readonly Random _chunker = new(Random.Shared.Next());
    int _linesWritten;

    void AddEvent(JobEvent e)
    {
        (_events ??= []).Add(e);
        Signal();
    }

    void Signal()
    {
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    public int EventCount { get { lock (Gate) return _events?.Count ?? 0; } }

    /// <summary>Events from index <paramref name="from"/> on, copied so the caller can send them without the lock.</summary>
    public JobEvent[] EventsSince(int from)
    {
        lock (Gate)
        {
            if (_events is null || from >= _events.Count) return [];
            return _events.GetRange(from, _events.Count - from).ToArray();
        }
    }

    /// <summary>The log records so far (raw chunks with their ids).</summary>
    public List<JobEvent> LogLines()
    {
        lock (Gate) return _events?.Where(e => e.LogId > 0).ToList() ?? [];
    }

    /// <summary>The job's output so far as one text, the chunks joined.</summary>
    public string OutputText(int throughId = int.MaxValue)
    {
        var text = new System.Text.StringBuilder();
        lock (Gate)
            foreach (var e in _events ?? [])
                if (e.LogId > 0 && e.LogId <= throughId) text.Append(e.Message);
        return text.ToString();
    }

    /// <summary>The output's lines (CRLF or LF; a last line without a break counts too).</summary>
    public List<string> OutputLines()
    {
        var lines = OutputText().Replace("\r\n", "\n").Split('\n').ToList();
        if (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    /// <summary>
    /// The id of the last chunk moved to archive storage, fixed the first time it is asked for (0 = none):
    /// the real service serves older output as log_blobs and only newer records as logs frames.
    /// </summary>
    public int ArchiveOnce()
    {
        lock (Gate) return _archivedThrough ??= _lastLogId;
    }

    public int ArchivedThrough { get { lock (Gate) return _archivedThrough ?? 0; } }

    /// <summary>The secret in the presigned-style URL of this job's archive on the other host.</summary>
    public string ArchiveSignature { get; } = Guid.NewGuid().ToString("N");

    int? _archivedThrough;

    /// <summary>Completes when the history has grown beyond <paramref name="known"/> events.</summary>
    public Task WaitForEventsAsync(int known)
    {
        lock (Gate) return (_events?.Count ?? 0) > known ? Task.CompletedTask : _changed.Task;
    }

    /// <summary>The websocket's {"job": JobOutput} frame for the current state. Caller holds Gate.</summary>
    byte[] JobFrame()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, Json.WriterOptions))
        {
            w.WriteStartObject();
            w.WritePropertyName("job");
            WriteLocked(w, includeSteps: false);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public byte[] CurrentJobFrame()
    {
        lock (Gate) return JobFrame();
    }

    public void Write(Utf8JsonWriter w, bool includeSteps)
    {
        lock (Gate) WriteLocked(w, includeSteps);
    }

    /// <summary>JobOutput as documented, plus the inputs echoed back (extra fields clients must tolerate).</summary>
    void WriteLocked(Utf8JsonWriter w, bool includeSteps)
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("url", Url);
        w.WriteString("status", Status);
        w.WriteString("created_at", Json.Time(CreatedAt));
        w.WriteString("created_by", CreatedBy);
        Json.WriteTime(w, "finished_at", FinishedAt);
        w.WriteString("query", Query);
        w.WriteString("query_type", QueryType);
        w.WriteString("team", Team);
        w.WriteString("name", Name);
        w.WriteNumber("workers", Workers);
        w.WriteString("python_version", PythonVersion);
        w.WriteString("requirements", Requirements);
        w.WriteString("repository", Repository);
        w.WriteStartObject("environment");
        foreach (var (k, v) in Environment) w.WriteString(k, v);
        w.WriteEndObject();
        Json.WriteInt(w, "exit_code", ExitCode);
        w.WriteString("error_message", ErrorMessage);
        Json.WriteTime(w, "started_at", StartedAt);
        w.WriteString("updated_at", Json.Time(UpdatedAt == default ? CreatedAt : UpdatedAt));
        w.WriteNumber("priority", Priority);
        Json.WriteInt(w, "compute_cluster_id", ComputeClusterId);
        w.WriteString("compute_cluster_name", ComputeClusterName);
        Json.WriteTime(w, "start_after", StartAfter);
        w.WriteString("cron_expression", CronExpression);
        w.WriteString("credentials_name", CredentialsName);
        w.WriteStartArray("files");
        foreach (var f in Files) w.WriteStringValue(f);
        w.WriteEndArray();
        w.WriteString("rerun_from_job_id", RerunFromJobId);
        // What newer servers add: the run group a rerun shares with its origin, and the parent (null here).
        w.WriteString("run_group_id", RunGroupId ?? Id);
        w.WriteNull("parent_job_id");
        if (ResetCheckpoints is { } reset) w.WriteBoolean("reset", reset);
        if (includeSteps) WriteSteps(w);
        w.WriteEndObject();
    }

    void WriteSteps(Utf8JsonWriter w)
    {
        bool terminal = JobStatus.IsTerminal(Status);
        w.WriteStartArray("steps");
        WriteStep(w, "queue", "Waiting in queue", QueuedAt ?? (Status == JobStatus.Scheduled ? null : CreatedAt), InitAt, terminal);
        WriteStep(w, "init", "Preparing environment", InitAt, StartedAt, terminal);
        WriteStep(w, "run", "Running query", StartedAt, terminal ? FinishedAt : null, terminal);
        w.WriteEndArray();
    }

    void WriteStep(Utf8JsonWriter w, string name, string label, DateTime? started, DateTime? finished, bool terminal)
    {
        string status = (started, finished) switch
        {
            (null, _) => terminal ? "SKIPPED" : "PENDING",
            (_, not null) when name == "run" => Status,
            (_, not null) => JobStatus.Complete,
            _ => terminal ? Status : JobStatus.Running,
        };
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("label", label);
        w.WriteString("status", status);
        Json.WriteTime(w, "started_at", started);
        Json.WriteTime(w, "finished_at", started is null ? null : finished ?? (terminal ? FinishedAt : null));
        w.WriteEndObject();
    }
}
