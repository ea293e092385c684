using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Http;
using StudioPS.Models;

namespace StudioPS.Client;

public sealed partial class StudioClient
{
    /// <summary><c>GET datachain/datasets</c>: the team's datasets, optionally those whose name starts with <paramref name="prefix"/>.</summary>
    public async IAsyncEnumerable<StudioDataset> ListDatasetsAsync(string team, string? prefix, bool includeRemoved, IStudioTrace trace,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = Query(("team_name", team), ("prefix", string.IsNullOrEmpty(prefix) ? null : prefix),
            ("include_removed", includeRemoved ? "true" : null));
        await foreach (var record in GetListAsync<DatasetRecord>("datachain/datasets", query, "datasets", trace, cancellationToken).ConfigureAwait(false))
            yield return StudioDataset.From(record);
    }

    /// <summary><c>GET datachain/datasets/info</c>: one dataset by namespace, project and name; NotFound when there is none.</summary>
    public async Task<StudioDataset> GetDatasetAsync(string team, string @namespace, string project, string name, bool includeRemoved,
        IStudioTrace trace, CancellationToken cancellationToken)
    {
        var query = Query(("namespace", @namespace), ("project", project), ("name", name), ("team_name", team),
            ("include_removed", includeRemoved ? "true" : null));
        var record = await GetObjectAsync<DatasetRecord>("datachain/datasets/info", query, trace, cancellationToken).ConfigureAwait(false);
        return StudioDataset.From(record);
    }

    /// <summary>
    /// <c>POST datachain/datasets</c>: renames a dataset and/or sets its description and attributes
    /// (every key is sent; null leaves a field as it is).
    /// </summary>
    public async Task EditDatasetAsync(string team, string @namespace, string project, string name, string? newName, string? description,
        IReadOnlyList<string>? attributes, IStudioTrace trace, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["namespace"] = @namespace,
            ["project"] = project,
            ["new_name"] = newName,
            ["description"] = description,
            ["attrs"] = attributes?.ToArray(),
            ["team_name"] = team,
        };
        using var response = await SendAsync(HttpMethod.Post, "datachain/datasets", null, JsonContent(body), new RequestPolicy(), trace, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// <c>DELETE datachain/datasets</c> with a JSON body: one version, or the whole dataset when
    /// <paramref name="version"/> is null. The reply body is not read.
    /// </summary>
    public async Task RemoveDatasetAsync(string team, string @namespace, string project, string name, string? version, bool force,
        IStudioTrace trace, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["namespace"] = @namespace,
            ["project"] = project,
            ["version"] = version,
            ["force"] = force,
            ["team_name"] = team,
        };
        using var response = await SendAsync(HttpMethod.Delete, "datachain/datasets", null, JsonContent(body), new RequestPolicy(), trace, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary><c>GET datachain/datasets/dataset_job_versions</c>: the dataset versions a job created.</summary>
    public async Task<StudioJobDatasetVersion[]> GetJobDatasetVersionsAsync(string team, string jobId, IStudioTrace trace, CancellationToken cancellationToken)
    {
        var output = await GetObjectAsync<DatasetJobVersionsOutput>("datachain/datasets/dataset_job_versions",
            Query(("job_id", jobId), ("team_name", team)), trace, cancellationToken).ConfigureAwait(false);
        return (output.DatasetVersions ?? new List<StudioJobDatasetVersion?>()).Where(v => v != null).Select(v => v!).ToArray();
    }

    /// <summary><c>GET datachain/datasets/export</c>: starts an export; its id and a signed URL per part.</summary>
    internal async Task<DatasetExportOutput> StartExportAsync(string team, string @namespace, string project, string name, string version,
        IStudioTrace trace, CancellationToken cancellationToken)
    {
        var query = Query(("namespace", @namespace), ("project", project), ("name", name), ("version", version), ("source", "cli"), ("team_name", team));
        var output = await GetObjectAsync<DatasetExportOutput>("datachain/datasets/export", query, trace, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(output.ExportId) || output.SignedUrls == null)
            throw new StudioApiException(StudioErrorKind.InvalidResponse, "Studio answered the export without an export_id or signed_urls.",
                HttpStatusCode.OK, null, "GET", "/api/datachain/datasets/export");
        return output;
    }

    /// <summary><c>GET datachain/datasets/export-status</c>.</summary>
    internal Task<DatasetExportStatus> GetExportStatusAsync(string team, string exportId, IStudioTrace trace, CancellationToken cancellationToken) =>
        GetObjectAsync<DatasetExportStatus>("datachain/datasets/export-status", Query(("export_id", exportId), ("team_name", team)), trace, cancellationToken);
}
