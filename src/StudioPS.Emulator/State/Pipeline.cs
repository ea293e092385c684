using System.Text.Json;

namespace StudioPS.Emulator.State;

public static class PipelineStatus
{
    public const string Pending = "PENDING";
    public const string Running = "RUNNING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
    public const string Paused = "PAUSED";
    public const string Canceled = "CANCELED";

    public static bool IsTerminal(string s) => s is Completed or Failed or Canceled;
}

/// <summary>One dataset's step in a pipeline (JobPipelineRunOutput). Its JobId names the run, not a job.</summary>
public sealed class PipelineRun
{
    public required string JobId { get; init; }
    public required string Name { get; init; }
    public required DatasetDef Dataset { get; init; }
    public List<string> ParentJobIds { get; init; } = [];
    public string Status { get; set; } = PipelineStatus.Pending;
    /// <summary>The real job created when the run starts.</summary>
    public string? CreatedJobId { get; set; }
}

/// <summary>A triggered pipeline (JobPipelineOutput). Changed only under Gate by the PipelineEngine.</summary>
public sealed class Pipeline
{
    public readonly object Gate = new();

    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Team { get; init; }
    public required string TriggeredFrom { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTime CreatedAt { get; init; }
    /// <summary>The engine generation it belongs to; a reset starts a new one and old pipelines stop advancing.</summary>
    public int Generation { get; init; }
    public DateTime UpdatedAt { get; set; }
    public string Status { get; set; } = PipelineStatus.Pending;
    public List<PipelineRun> Runs { get; } = [];
    public string? ErrorMessage { get; set; }
    public string? ErrorStack { get; set; }

    public string CurrentStatus { get { lock (Gate) return Status; } }

    public void Write(Utf8JsonWriter w)
    {
        lock (Gate)
        {
            w.WriteStartObject();
            w.WriteString("pipeline_id", Id);
            w.WriteString("status", Status);
            w.WriteStartArray("job_runs");
            foreach (var r in Runs)
            {
                w.WriteStartObject();
                w.WriteString("job_id", r.JobId);
                w.WriteString("status", r.Status);
                w.WriteStartArray("parent_job_ids");
                foreach (var p in r.ParentJobIds) w.WriteStringValue(p);
                w.WriteEndArray();
                w.WriteString("name", r.Name);
                w.WriteString("created_job_id", r.CreatedJobId);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("completed", Runs.Count(r => r.Status == PipelineStatus.Completed));
            w.WriteNumber("total", Runs.Count);
            w.WriteString("error_message", ErrorMessage);
            w.WriteString("error_stack", ErrorStack);
            w.WriteString("triggered_from", TriggeredFrom);
            w.WriteString("name", Name);
            w.WriteString("created_at", Json.Time(CreatedAt));
            w.WriteString("updated_at", Json.Time(UpdatedAt));
            w.WriteString("team", Team);
            w.WriteEndObject();
        }
    }
}
