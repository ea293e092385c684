using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>A Studio job, as the jobs endpoints return it (the document's JobOutput).</summary>
public sealed class StudioJob : IJsonOnDeserialized
{
    /// <summary>Statuses after which a job changes no more (TASK: a cron template that only spawns runs).</summary>
    public static readonly IReadOnlyCollection<string> TerminalStatuses = new[] { "COMPLETE", "FAILED", "CANCELED", "TASK" };

    /// <summary>Every status the module knows; a status outside it is still kept as the server sent it.</summary>
    public static readonly IReadOnlyList<string> KnownStatuses = new[]
    {
        "CREATED", "SCHEDULED", "PROVISIONING", "QUEUED", "INIT", "RUNNING", "COMPLETE", "FAILED",
        "CANCELING", "CANCELED", "CANCELING_SCHEDULED", "TASK", "PENDING",
    };

    /// <summary>The job id.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }
    /// <summary>The job's page in Studio.</summary>
    public string? Url { get; set; }
    /// <summary>QUEUED, RUNNING, COMPLETE, FAILED, CANCELED, TASK... as the server sent it.</summary>
    public string? Status { get; set; }
    /// <summary>When the job was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
    /// <summary>Who created the job.</summary>
    public string? CreatedBy { get; set; }
    /// <summary>When the job ended; null while it runs.</summary>
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>The script the job runs.</summary>
    public string? Query { get; set; }
    /// <summary>PYTHON or SHELL.</summary>
    public string? QueryType { get; set; }
    /// <summary>The job's team.</summary>
    public string? Team { get; set; }
    /// <summary>The job's name (query_name).</summary>
    public string? Name { get; set; }
    /// <summary>Workers the job asked for.</summary>
    public int? Workers { get; set; }
    /// <summary>The Python version the job runs with.</summary>
    public string? PythonVersion { get; set; }
    /// <summary>The pip requirements the job installs.</summary>
    public string? Requirements { get; set; }
    /// <summary>The Git repository the job runs from.</summary>
    public string? Repository { get; set; }

    /// <summary>The job's environment; servers send a dictionary, some older ones the KEY=VALUE text.</summary>
    [JsonConverter(typeof(EnvironmentConverter))]
    public Dictionary<string, string>? Environment { get; set; }

    /// <summary>The script's exit code once it ended.</summary>
    public int? ExitCode { get; set; }
    /// <summary>Why the job failed, as Studio says it.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>The compute cluster's id.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    [JsonPropertyName("compute_cluster_id")]
    public string? ClusterId { get; set; }

    /// <summary>The compute cluster's name.</summary>
    [JsonPropertyName("compute_cluster_name")]
    public string? ClusterName { get; set; }

    /// <summary>The job that started this one (newer servers; a cron template's run names its template).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ParentJobId { get; set; }

    /// <summary>The job this run continues from, reusing its checkpoints (newer servers).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? RerunFromJobId { get; set; }

    /// <summary>The group of runs a job and its reruns share (newer servers).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? RunGroupId { get; set; }

    /// <summary>The job's parameters as the server sent them (newer servers): strings, numbers, booleans; anything else as JSON text.</summary>
    [JsonConverter(typeof(JobParamsConverter))]
    public Dictionary<string, object?>? Params { get; set; }

    /// <summary>The job's steps, sent by newer servers when asked with include_steps.</summary>
    public StudioJobStep[]? Steps { get; set; }

    /// <summary>
    /// The dataset versions the job created (<c>datasets/dataset_job_versions</c>): filled for a COMPLETE job
    /// by the waiting cmdlets and by Get-StudioJob -IncludeDatasetVersions; null when not read.
    /// </summary>
    [JsonIgnore]
    public StudioJobDatasetVersion[]? DatasetVersions { get; set; }

    /// <summary>Fields the module does not model, kept so nothing the server sent is lost.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }

    /// <summary>True once the status is one after which the job changes no more.</summary>
    [JsonIgnore]
    public bool IsTerminal => IsTerminalStatus(Status);

    /// <summary>How long the job ran (or has run so far, for a job still going).</summary>
    [JsonIgnore]
    public TimeSpan? Duration =>
        CreatedAt == null ? (TimeSpan?)null : (FinishedAt ?? (IsTerminal ? CreatedAt : DateTimeOffset.UtcNow)) - CreatedAt;

    /// <summary>True for a status after which a job changes no more (<see cref="TerminalStatuses"/>).</summary>
    public static bool IsTerminalStatus(string? status) =>
        status != null && ((IList<string>)TerminalStatuses).Contains(status.ToUpperInvariant());

    void IJsonOnDeserialized.OnDeserialized()
    {
        // Other spellings of the cluster seen from servers: cluster_id / cluster_name / cluster {id, name}.
        if (AdditionalFields == null) return;
        if (ClusterId == null && AdditionalFields.TryGetValue("cluster_id", out var id)) ClusterId = Scalar(id);
        if (ClusterName == null && AdditionalFields.TryGetValue("cluster_name", out var name)) ClusterName = Scalar(name);
        if (AdditionalFields.TryGetValue("cluster", out var cluster) && cluster.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in cluster.EnumerateObject())
            {
                if (ClusterId == null && property.NameEquals("id")) ClusterId = Scalar(property.Value);
                if (ClusterName == null && property.NameEquals("name")) ClusterName = Scalar(property.Value);
            }
        }
    }

    private static string? Scalar(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? JsonText.SafeString(value)
        : value.ValueKind == JsonValueKind.Number ? value.GetRawText()
        : null;

    /// <summary>Fills what a partial create response left out from a full read of the same job.</summary>
    internal StudioJob MergeFrom(StudioJob? full)
    {
        if (full == null) return this;
        foreach (var property in typeof(StudioJob).GetProperties())
        {
            if (!property.CanWrite) continue;
            if (property.GetValue(this) == null) property.SetValue(this, property.GetValue(full));
        }
        // The later read knows the current status better than the create response did.
        if (full.Status != null) Status = full.Status;
        return this;
    }

    /// <summary>The job id.</summary>
    public override string ToString() => Id ?? string.Empty;
}
