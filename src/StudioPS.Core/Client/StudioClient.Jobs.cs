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
using StudioPS.Models;

namespace StudioPS.Client
{
    public sealed partial class StudioClient
    {
        /// <summary><c>GET datachain/jobs/</c> with the official client's filters; newest first.</summary>
        public IAsyncEnumerable<StudioJob> ListJobsAsync(string team, IEnumerable<string>? statuses, string? jobId, int? limit,
            bool includeSteps, IStudioTrace trace, CancellationToken cancellationToken)
        {
            var query = Query(("team_name", team));
            foreach (var status in statuses ?? Enumerable.Empty<string>())
                query.Add(new KeyValuePair<string, string?>("status", status.ToUpperInvariant()));
            if (jobId != null) query.Add(new KeyValuePair<string, string?>("job_id", jobId));
            if (limit.HasValue) query.Add(new KeyValuePair<string, string?>("limit", limit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (includeSteps) query.Add(new KeyValuePair<string, string?>("include_steps", "true"));
            return GetListAsync<StudioJob>("datachain/jobs/", query, "jobs", trace, cancellationToken);
        }

        /// <summary>One job by id (the list endpoint with <c>job_id</c>, as the official client reads it); NotFound when none.</summary>
        public async Task<StudioJob> GetJobAsync(string team, string id, bool includeSteps, IStudioTrace trace, CancellationToken cancellationToken)
        {
            await foreach (var job in ListJobsAsync(team, null, id, null, includeSteps, trace, cancellationToken).ConfigureAwait(false))
            {
                // A server that ignores job_id sends other jobs too: only the one asked for counts.
                if (string.Equals(job.Id, id, StringComparison.OrdinalIgnoreCase)) return job;
            }
            throw new StudioApiException(StudioErrorKind.NotFound, $"No job with id '{id}' in team '{team}'.", HttpStatusCode.NotFound,
                null, "GET", "/api/datachain/jobs/");
        }

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

        public Task<ActionFeedback> CancelJobAsync(string team, string id, IStudioTrace trace, CancellationToken cancellationToken) =>
            PostJsonAsync<ActionFeedback>("datachain/jobs/" + Uri.EscapeDataString(id) + "/cancel", new { team_name = team }, trace, cancellationToken);

        /// <summary>
        /// <c>GET datachain/jobs/{id}/logs</c>: the lines logged so far. Plain text, a JSON array of
        /// strings or <c>{"logs": [{"id", "message"}]}</c> are all read.
        /// </summary>
        public async Task<IReadOnlyList<string>> GetJobLogsAsync(string team, string id, IStudioTrace trace, CancellationToken cancellationToken)
        {
            var path = "datachain/jobs/" + Uri.EscapeDataString(id) + "/logs";
            using var response = await SendAsync(HttpMethod.Get, path, Query(("team_name", team)), null, new RequestPolicy(), trace, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return LogText.Parse(text, response.Content.Headers.ContentType?.MediaType);
        }

        /// <summary>
        /// Uploads one file as the official client does (multipart field <c>file</c>), streaming it
        /// from disk. It is sent again only where the server cannot have taken it (refused
        /// connection, 429, 503 with Retry-After): an upload is never repeated blindly.
        /// </summary>
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

    /// <summary>Reads a log body in any of the shapes servers use.</summary>
    internal static class LogText
    {
        public static IReadOnlyList<string> Parse(string text, string? mediaType)
        {
            var trimmed = text.TrimStart();
            var json = (mediaType?.IndexOf("json", StringComparison.OrdinalIgnoreCase) ?? -1) >= 0
                       || trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal);
            if (json)
            {
                try
                {
                    using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
                    var lines = new List<string>();
                    Collect(doc.RootElement, lines);
                    return lines;
                }
                catch (JsonException) when (!(mediaType?.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0))
                {
                    // Text that merely starts with a bracket is still text.
                }
                catch (JsonException e)
                {
                    throw new StudioApiException(StudioErrorKind.InvalidResponse, "The job's log is not the JSON it claims to be: " + e.Message,
                        null, null, "GET", "/api/datachain/jobs/{id}/logs", false, null, e);
                }
            }
            var split = text.Replace("\r\n", "\n").Split('\n').ToList();
            if (split.Count > 0 && split[split.Count - 1].Length == 0) split.RemoveAt(split.Count - 1);
            return split;
        }

        private static void Collect(JsonElement element, List<string> lines)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    lines.AddRange(JsonText.SafeString(element).Replace("\r\n", "\n").TrimEnd('\n').Split('\n'));
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray()) Collect(item, lines);
                    break;
                case JsonValueKind.Object:
                    if (element.TryGetProperty("logs", out var logs)) Collect(logs, lines);
                    else if (element.TryGetProperty("message", out var message)) Collect(message, lines);
                    else if (element.TryGetProperty("line", out var line)) Collect(line, lines);
                    break;
            }
        }
    }

    /// <summary>
    /// A multipart/form-data body with one field <c>file</c>, read from disk as it is sent:
    /// memory stays flat whatever the file's size, and its length is known up front.
    /// </summary>
    internal sealed class FileUploadContent : HttpContent
    {
        private const int ChunkSize = 256 * 1024;
        private readonly string _path;
        private readonly IProgress<long>? _progress;
        private readonly byte[] _head;
        private readonly byte[] _tail;
        private readonly long _fileLength;

        public FileUploadContent(string path, string fileName, IProgress<long>? progress)
        {
            _path = path;
            _progress = progress;
            _fileLength = new FileInfo(path).Length;
            var boundary = "----StudioPS" + Guid.NewGuid().ToString("N");
            var safeName = fileName.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", string.Empty).Replace("\n", string.Empty);
            _head = Encoding.UTF8.GetBytes(
                "--" + boundary + "\r\n" +
                "Content-Disposition: form-data; name=\"file\"; filename=\"" + safeName + "\"\r\n" +
                "Content-Type: application/octet-stream\r\n\r\n");
            _tail = Encoding.UTF8.GetBytes("\r\n--" + boundary + "--\r\n");
            Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=" + boundary);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_head, 0, _head.Length).ConfigureAwait(false);
            var buffer = new byte[ChunkSize];
            long sent = 0;
            // The file is opened per send, so a send the retry rules allow starts from the first byte again.
            using (var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                int read;
                while ((read = await file.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
                {
                    await stream.WriteAsync(buffer, 0, read).ConfigureAwait(false);
                    sent += read;
                    _progress?.Report(sent);
                }
            }
            if (sent != _fileLength)
                throw new IOException($"'{_path}' changed size while it was being sent ({_fileLength} bytes expected, {sent} read).");
            await stream.WriteAsync(_tail, 0, _tail.Length).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _head.Length + _fileLength + _tail.Length;
            return true;
        }
    }
}
