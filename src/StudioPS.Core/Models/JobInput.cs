using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>
/// The body of <c>POST datachain/jobs/</c>: the document's JobInput. Unset fields are sent as
/// null, as the official client does.
/// </summary>
public sealed class JobInput
{
    /// <summary>The script to run.</summary>
    public string Query { get; set; } = string.Empty;
    /// <summary>PYTHON (the default) or SHELL.</summary>
    public string QueryType { get; set; } = "PYTHON";
    /// <summary>The team the job runs in.</summary>
    public string TeamName { get; set; } = string.Empty;
    /// <summary>Environment variables as KEY=VALUE lines.</summary>
    public string? Environment { get; set; }
    /// <summary>Workers to run the job with.</summary>
    public int? Workers { get; set; }
    /// <summary>The job's name.</summary>
    public string? QueryName { get; set; }
    /// <summary>Ids of uploaded files (<see cref="StudioPS.Client.StudioClient.UploadFileAsync"/>) the job gets.</summary>
    public List<string>? Files { get; set; }
    /// <summary>The Python version, e.g. 3.12.</summary>
    public string? PythonVersion { get; set; }
    /// <summary>pip requirements, one a line.</summary>
    public string? Requirements { get; set; }
    /// <summary>A Git repository to run from.</summary>
    public string? Repository { get; set; }
    /// <summary>0 runs first, 5 last (the server's default).</summary>
    public int? Priority { get; set; }
    /// <summary>The compute cluster by name.</summary>
    public string? ComputeClusterName { get; set; }

    /// <summary>
    /// A number when the id is numeric (as the document shows it), else the id's text. Sent only when
    /// set: name and id are mutually exclusive, and the official client never sends the id.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public object? ComputeClusterId { get; set; }

    /// <summary>Start no earlier than this time (ISO 8601); a later time makes the job SCHEDULED.</summary>
    public string? StartAfter { get; set; }
    /// <summary>A cron schedule; the job becomes a TASK that spawns runs.</summary>
    public string? CronExpression { get; set; }
    /// <summary>The name of the cloud credentials the job uses.</summary>
    public string? CredentialsName { get; set; }

    /// <summary>The job this run continues from, reusing its checkpoints (sent as null when none, as the official client does).</summary>
    public string? RerunFromJobId { get; set; }

    /// <summary>True to ignore checkpoints and run from the start (the official client's --ignore-checkpoints).</summary>
    public bool Reset { get; set; }
}
