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

    public void Log(string message)
    {
        lock (Gate) AddEvent(new JobEvent(++_lastLogId, message, null));
    }

    public void Log(IEnumerable<string> messages)
    {
        lock (Gate)
        {
            _events ??= [];
            foreach (var m in messages) _events.Add(new JobEvent(++_lastLogId, m, null));
            Signal();
        }
    }

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

    /// <summary>The log lines so far.</summary>
    public List<JobEvent> LogLines()
    {
        lock (Gate) return _events?.Where(e => e.LogId > 0).ToList() ?? [];
    }

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
