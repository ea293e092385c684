using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Http;
using StudioPS.Models;

namespace StudioPS.Client;

public sealed partial class StudioClient
{
    /// <summary><c>GET datachain/jobs/</c> with the official client's filters: the team's jobs, newest first, streamed as they are read.</summary>
    /// <param name="team">The team whose jobs are listed.</param>
    /// <param name="statuses">Only jobs in these statuses (sent upper-cased); null for all.</param>
    /// <param name="jobId">Only the job with this id; null for all.</param>
    /// <param name="limit">At most this many jobs; null for the server's default.</param>
    /// <param name="includeSteps">Adds each job's steps (newer servers).</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public IAsyncEnumerable<StudioJob> ListJobsAsync(string team, IEnumerable<string>? statuses, string? jobId, int? limit,
        bool includeSteps, IStudioTrace trace, CancellationToken cancellationToken) =>
        GetListAsync<StudioJob>("datachain/jobs/", JobsQuery(team, statuses, jobId, limit, includeSteps), "jobs", trace, cancellationToken);

    private static List<KeyValuePair<string, string?>> JobsQuery(string team, IEnumerable<string>? statuses, string? jobId, int? limit, bool includeSteps)
    {
        var query = Query(("team_name", team));
        foreach (var status in statuses ?? Enumerable.Empty<string>())
            query.Add(new KeyValuePair<string, string?>("status", status.ToUpperInvariant()));
        if (jobId != null) query.Add(new KeyValuePair<string, string?>("job_id", jobId));
        if (limit.HasValue) query.Add(new KeyValuePair<string, string?>("limit", limit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (includeSteps) query.Add(new KeyValuePair<string, string?>("include_steps", "true"));
        return query;
    }

    /// <summary>
    /// One job by id (the list endpoint with <c>job_id</c>, as the official client reads it); NotFound when none.
    /// The body is small and read whole inside the retry loop, so a body cut off after the
    /// headers is retried like any failed read (every wait poll and log status check comes here).
    /// </summary>
    /// <param name="team">The job's team.</param>
    /// <param name="id">The job's id.</param>
    /// <param name="includeSteps">Adds the job's steps (newer servers).</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    /// <exception cref="StudioApiException">Of kind NotFound when the team has no such job.</exception>
    public async Task<StudioJob> GetJobAsync(string team, string id, bool includeSteps, IStudioTrace trace, CancellationToken cancellationToken)
    {
        const string path = "datachain/jobs/";
        using var response = await SendAsync(HttpMethod.Get, path, JobsQuery(team, null, id, null, includeSteps), null, new RequestPolicy(),
            trace, cancellationToken).ConfigureAwait(false);
        EnsureNotHtml(response, "GET", PathOf(path));
        using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
        await foreach (var job in JsonBodies.ReadListAsync<StudioJob>(body, "jobs", "GET", PathOf(path), cancellationToken).ConfigureAwait(false))
        {
            // A server that ignores job_id sends other jobs too: only the one asked for counts.
            if (string.Equals(job.Id, id, StringComparison.OrdinalIgnoreCase)) return job;
        }
        throw new StudioApiException(StudioErrorKind.NotFound, $"No job with id '{id}' in team '{team}'.", HttpStatusCode.NotFound,
            null, "GET", "/api/datachain/jobs/");
    }

    /// <summary>
    /// <c>POST datachain/jobs/</c>: creates a job and returns it (read back once when the answer
    /// holds only a few fields). Never sent twice: a failure after sending says the outcome is unknown.
    /// </summary>
    /// <param name="input">The job: query, type, team and options.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public async Task<StudioJob> CreateJobAsync(JobInput input, IStudioTrace trace, CancellationToken cancellationToken)
    {
        var created = await PostJsonAsync<StudioJob>("datachain/jobs/", input, trace, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(created.Id))
            throw new StudioApiException(StudioErrorKind.InvalidResponse,
                "Studio answered the job creation without a job id; the job may exist. Check Get-StudioJob before trying again.",
                null, null, "POST", "/api/datachain/jobs/", outcomeUnknown: true);
        if (created.Status != null && created.CreatedAt != null && created.Query != null) return created;
        // Some servers answer with only a few fields: read the whole job once (a safe, retryable read).
        try
        {
            var full = await GetJobAsync(input.TeamName, created.Id!, false, trace, cancellationToken).ConfigureAwait(false);
            return created.MergeFrom(full);
        }
        catch (StudioApiException error) when (error.Kind != StudioErrorKind.Unauthorized)
        {
            if (trace.VerboseEnabled) trace.Verbose("Could not read the new job back; emitting what the create response held: " + error.Message);
            return created;
        }
    }

    /// <summary><c>POST datachain/jobs/{id}/cancel</c>: asks Studio to cancel a job; any 2xx is success, whatever the reply's body.</summary>
    /// <param name="team">The job's team.</param>
    /// <param name="id">The job's id.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public async Task<ActionFeedback> CancelJobAsync(string team, string id, IStudioTrace trace, CancellationToken cancellationToken) =>
        await PostActionAsync<ActionFeedback>("datachain/jobs/" + Uri.EscapeDataString(id) + "/cancel", new { team_name = team }, trace, cancellationToken).ConfigureAwait(false)
        ?? new ActionFeedback();

    /// <summary>
    /// <c>GET datachain/jobs/{id}/logs</c>: the output so far as lines (assembled from the raw output,
    /// CRLF or LF; a last line without a break included).
    /// </summary>
    /// <param name="team">The job's team.</param>
    /// <param name="id">The job's id.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public async Task<IReadOnlyList<string>> GetJobLogsAsync(string team, string id, IStudioTrace trace, CancellationToken cancellationToken) =>
        StudioPS.Logs.LineAssembler.SplitAll(await GetJobLogChunksAsync(team, id, trace, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// <c>GET datachain/jobs/{id}/logs</c>: the output so far as the server holds it, raw chunks whose
    /// concatenation is the output. Plain text, a JSON array of strings or <c>{"logs": [{"id", "message"}]}</c> are all read.
    /// </summary>
    /// <param name="team">The job's team.</param>
    /// <param name="id">The job's id.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public async Task<IReadOnlyList<string>> GetJobLogChunksAsync(string team, string id, IStudioTrace trace, CancellationToken cancellationToken)
    {
        var path = "datachain/jobs/" + Uri.EscapeDataString(id) + "/logs";
        using var response = await SendAsync(HttpMethod.Get, path, Query(("team_name", team)), null, new RequestPolicy(), trace, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return LogText.Chunks(text, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// Uploads one file as the official client does (multipart field <c>file</c>), streaming it
    /// from disk. It is sent again only where the server cannot have taken it (refused
    /// connection, 429, 503 with Retry-After): an upload is never repeated blindly.
    /// </summary>
    /// <param name="team">The team the file is for.</param>
    /// <param name="path">The local file.</param>
    /// <param name="progress">Gets the bytes sent so far; null for none.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    /// <returns>The file; pass its <see cref="StudioFile.Id"/> in <see cref="JobInput.Files"/>.</returns>
    public async Task<StudioFile> UploadFileAsync(string team, string path, IProgress<long>? progress, IStudioTrace trace, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        using var content = new FileUploadContent(path, info.Name, progress);
        // Time-out: the connection's bound plus time for the bytes at a slow 1 MiB/s, so big files are not cut off.
        var seconds = BodyIdleTimeout == Timeout.InfiniteTimeSpan ? (double?)null : BodyIdleTimeout.TotalSeconds + info.Length / (1024.0 * 1024.0);
        var policy = new RequestPolicy
        {
            TraceRequestBody = false,
            Timeout = seconds.HasValue ? TimeSpan.FromSeconds(seconds.Value) : Timeout.InfiniteTimeSpan,
        };
        using var response = await SendAsync(HttpMethod.Post, "datachain/jobs/files", Query(("team_name", team)), content, policy, trace, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var file = JsonBodies.ReadObject<StudioFile>(bytes, "POST", "/api/datachain/jobs/files");
        if (string.IsNullOrEmpty(file.Id))
            throw new StudioApiException(StudioErrorKind.InvalidResponse, $"Studio answered the upload of '{info.Name}' without a file id.",
                null, null, "POST", "/api/datachain/jobs/files");
        file.Path = path;
        file.FileName ??= info.Name;
        file.Size ??= info.Length;
        return file;
    }
}
