using System.Collections.Generic;

namespace StudioPS.Models;

/// <summary>The body of <c>datasets/dataset_job_versions</c>.</summary>
internal sealed class DatasetJobVersionsOutput
{
    public List<StudioJobDatasetVersion?>? DatasetVersions { get; set; }
}
