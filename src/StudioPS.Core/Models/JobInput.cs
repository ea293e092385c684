using System.Collections.Generic;

namespace StudioPS.Models
{
    /// <summary>
    /// The body of <c>POST datachain/jobs/</c>: the document's JobInput. Unset fields are sent as
    /// null, as the official client does.
    /// </summary>
    public sealed class JobInput
    {
        public string Query { get; set; } = string.Empty;
        public string QueryType { get; set; } = "PYTHON";
        public string TeamName { get; set; } = string.Empty;
        public string? Environment { get; set; }
        public int? Workers { get; set; }
        public string? QueryName { get; set; }
        public List<string>? Files { get; set; }
        public string? PythonVersion { get; set; }
        public string? Requirements { get; set; }
        public string? Repository { get; set; }
        public int? Priority { get; set; }
        public string? ComputeClusterName { get; set; }

        /// <summary>A number when the id is numeric (as the document shows it), else the id's text.</summary>
        public object? ComputeClusterId { get; set; }

        public string? StartAfter { get; set; }
        public string? CronExpression { get; set; }
        public string? CredentialsName { get; set; }
    }
}
