using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Http;
using StudioPS.Models;

namespace StudioPS.Datasets;

/// <summary>
/// Saves one dataset version: starts Studio's export, then fetches its parts a few at a time through
/// the foreign-origin client (never the Studio token). A part answers 404 until Studio has written it,
/// so it is asked for again while the export's status is read every few seconds; a failed or removed
/// export ends the download, and so does a part that fails (the other parts stop at once). Each part streams
/// into a <c>.part</c> file renamed when whole, read and written with blocking calls on a thread of its own; a part whose final file already exists is not fetched again.
/// On failure or cancellation every file this run wrote is deleted.
/// </summary>
internal sealed class DatasetDownloader
{
    private const int MissingAfterCompletedLimit = 5;
    // Each write under the size that makes Linux cache it in 64 KiB or larger folios (PageCacheWrites): the 1 MiB
    // buffers of an earlier version measured twice the kernel time per GiB written, most likely for that reason.
    private const int CopyBuffer = PageCacheWrites.Most;
    private readonly StudioClient _client;
    private readonly HttpClient _parts;
    private readonly IStudioTrace _trace;

    public DatasetDownloader(StudioClient client, HttpClient parts, IStudioTrace trace)
    {
        _client = client;
        _parts = parts;
        _trace = trace;
    }

    /// <summary>Part requests made (404s included), for tests and figures.</summary>
    public int PartRequests => Volatile.Read(ref _partRequests);

    private int _partRequests;

    public async Task<IReadOnlyList<string>> DownloadAsync(DatasetDownloadRequest request, Action<DatasetDownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(request.Folder);
        // The highest folder this run creates (null: the folder is there): on failure it goes again, as far as this run made it.
        string? createdFrom = null;
        for (var at = folder; !string.IsNullOrEmpty(at); at = Path.GetDirectoryName(at))
        {
            if (File.Exists(at)) throw new IOException($"'{at}' is a file; the parts need a folder at '{folder}'.");
            if (Directory.Exists(at)) break;
            createdFrom = at;
        }
        var written = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var state = new State(progress);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var export = await _client.StartExportAsync(request.Team, request.Namespace, request.Project, request.Name, request.Version,
                _trace, cancellationToken).ConfigureAwait(false);
            var urls = export.SignedUrls!.Select((u, i) => CheckUrl(u, i)).ToList();
            if (_trace.VerboseEnabled)
                _trace.Verbose($"Export {export.ExportId} of {request.Name}@{request.Version}: {urls.Count} part(s) at {string.Join(", ", urls.Select(u => u.Authority).Distinct())}.");
            if (createdFrom != null) Directory.CreateDirectory(folder);
            var finals = Enumerable.Range(0, urls.Count).Select(i => Path.Combine(folder, request.FileName(i))).ToList();
            state.Total = urls.Count;
            state.Report();

            var statusLoop = WatchStatusAsync(request.Team, export.ExportId!, request.StatusInterval, state, linked);
            var next = -1;
            var workers = Enumerable.Range(0, Math.Max(1, Math.Min(request.MaxParallel, urls.Count))).Select(async _ =>
            {
                try
                {
                    int index;
                    while ((index = Interlocked.Increment(ref next)) < urls.Count)
                    {
                        if (File.Exists(finals[index]))
                        {
                            if (_trace.VerboseEnabled) _trace.Verbose($"Part {index}: {Path.GetFileName(finals[index])} is already complete; skipped.");
                            state.PartSaved(0);
                            continue;
                        }
                        await FetchPartAsync(urls[index], index, finals[index], request, state, written, linked.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception error) when (!(error is OperationCanceledException && linked.IsCancellationRequested))
                {
                    // One part failed: the others stop now instead of downloading what is deleted anyway.
                    state.Fail(error);
                    linked.Cancel();
                    throw;
                }
            }).ToList();
            try
            {
                await Task.WhenAll(workers).ConfigureAwait(false);
            }
            catch (Exception) when (state.Failure != null)
            {
                ExceptionDispatchInfo.Capture(state.Failure).Throw();
            }
            finally
            {
                state.Done = true;
                linked.Cancel();
                try { await statusLoop.ConfigureAwait(false); } catch (OperationCanceledException) { }
            }
            if (state.Failure != null) ExceptionDispatchInfo.Capture(state.Failure).Throw();
            return finals;
        }
        catch
        {
            try { linked.Cancel(); } catch (ObjectDisposedException) { }
            foreach (var path in written.Keys) TryDelete(path);
            if (createdFrom != null) TryRemoveEmptyFolders(folder, createdFrom);
            throw;
        }
    }

    private static Uri CheckUrl(string? url, int index)
    {
        if (url != null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            return uri;
        throw new StudioApiException(StudioErrorKind.InvalidResponse, $"Studio's export gave part {index} no usable URL.",
            HttpStatusCode.OK, null, "GET", "/api/datachain/datasets/export");
    }

    private async Task WatchStatusAsync(string team, string exportId, TimeSpan interval, State state, CancellationTokenSource linked)
    {
        while (!state.Done)
        {
            await Task.Delay(interval, linked.Token).ConfigureAwait(false);
            DatasetExportStatus status;
            try
            {
                status = await _client.GetExportStatusAsync(team, exportId, _trace, linked.Token).ConfigureAwait(false);
            }
            catch (StudioApiException error)
            {
                state.Fail(error);
                linked.Cancel();
                return;
            }
            state.Status(status);
            if (status.IsFailed || status.IsRemoved)
            {
                var what = status.IsFailed ? "failed on Studio" : "was removed on Studio before it was saved";
                state.Fail(new StudioApiException(StudioErrorKind.OperationFailed,
                    $"The export {exportId} {what}{(string.IsNullOrEmpty(status.ErrorMessage) ? "." : ": " + status.ErrorMessage)} Nothing was kept; run the command again to start a new export.",
                    HttpStatusCode.OK, status.ErrorMessage, "GET", "/api/datachain/datasets/export-status"));
                linked.Cancel();
                return;
            }
        }
    }

    private async Task FetchPartAsync(Uri url, int index, string final, DatasetDownloadRequest request, State state,
        ConcurrentDictionary<string, bool> written, CancellationToken cancellationToken)
    {
        var missingAfterCompleted = 0;
        while (true)
        {
            Interlocked.Increment(ref _partRequests);
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            RequestProperties.Set(message, NullTrace.Instance, new RequestPolicy { BufferResponse = false });
            HttpResponseMessage response;
            try
            {
                response = await _parts.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception error)
            {
                throw ErrorMapper.FromException(error, "GET", "(export part " + index + ")", url.Authority, Redactor.None);
            }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    // Not written yet: Studio writes parts while the export runs.
                    if (state.Completed && ++missingAfterCompleted > MissingAfterCompletedLimit)
                        throw new StudioApiException(StudioErrorKind.NotFound,
                            $"Part {index} of the export is still missing after Studio reported the export completed.",
                            HttpStatusCode.NotFound, null, "GET", "(export part " + index + ")");
                    await Task.Delay(request.PartRetryDelay, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                    throw new StudioApiException(ErrorMapper.KindOf(response.StatusCode),
                        $"Part {index} of the export answered {(int)response.StatusCode} {response.ReasonPhrase} from {url.Authority}.",
                        response.StatusCode, null, "GET", "(export part " + index + ")");
                var temp = final + ".part";
                written[temp] = true;
                long bytes;
                // Each part is read and written as curl does it: blocking reads of the body into one buffer and
                // blocking writes to an unbuffered file, on a thread of its own. In a fresh process (the bench's,
                // and a runbook's) that took a third less CPU per GiB than awaited reads, each of which armed a
                // timer and hopped between pool threads (docs/PERFORMANCE.md, save-1g). The body is closed to end
                // a read that waits: on Ctrl+C, when another part failed, and after the idle time-out.
                var content = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                using (var body = new WatchedBody(content, response, _client.BodyIdleTimeout, cancellationToken))
                using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
                {
                    try
                    {
                        var raw = request.Raw;
                        await Task.Factory.StartNew(() => raw ? Copy(body, file) : new Lz4FrameReader(body, file).Copy(),
                            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
                    }
                    catch (InvalidDataException error)
                    {
                        throw new StudioApiException(StudioErrorKind.InvalidResponse,
                            $"Part {index} of the export is not a whole LZ4 frame ({error.Message}). -Raw keeps parts as sent.",
                            HttpStatusCode.OK, null, "GET", "(export part " + index + ")", false, null, error);
                    }
                    catch (IOException error) when (error.InnerException is TimeoutException stall)
                    {
                        // A body that stalled longer than the idle time-out (WatchedBody): a time-out, not a failed connection.
                        throw ErrorMapper.FromException(stall, "GET", "(export part " + index + ")", url.Authority, Redactor.None);
                    }
                    catch (Exception error) when (error is IOException || error is TimeoutException || error is HttpRequestException)
                    {
                        throw ErrorMapper.FromException(error, "GET", "(export part " + index + ")", url.Authority, Redactor.None);
                    }
                    file.Flush();
                    bytes = file.Length;
                }
                if (File.Exists(final)) File.Delete(final);
                File.Move(temp, final);
                written[final] = true;
                written.TryRemove(temp, out _);
                if (_trace.VerboseEnabled) _trace.Verbose($"Part {index}: saved {Path.GetFileName(final)} ({bytes} bytes).");
                state.PartSaved(bytes);
                return;
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="file"/> through one <see cref="CopyBuffer"/> with blocking
    /// reads and writes (the body is a <see cref="WatchedBody"/>: closing it ends a read that waits). Returns the bytes copied.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    internal static long Copy(Stream source, Stream file)
    {
        var buffer = new byte[CopyBuffer];
        long total = 0;
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            file.Write(buffer, 0, read);
            total += read;
        }
        return total;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Removes <paramref name="folder"/> and its parents up to <paramref name="top"/>, each only while empty.</summary>
    private static void TryRemoveEmptyFolders(string folder, string top)
    {
        for (var at = folder; !string.IsNullOrEmpty(at); at = Path.GetDirectoryName(at))
        {
            try
            {
                if (!Directory.Exists(at) || Directory.EnumerateFileSystemEntries(at).Any()) return;
                Directory.Delete(at);
            }
            catch (IOException) { return; }
            catch (UnauthorizedAccessException) { return; }
            if (string.Equals(at, top, StringComparison.Ordinal)) return;
        }
    }

    /// <summary>Shared between the workers and the status loop; progress is reported under its lock.</summary>
    private sealed class State
    {
        private readonly object _gate = new object();
        private readonly Action<DatasetDownloadProgress>? _progress;
        private readonly DatasetDownloadProgress _current = new DatasetDownloadProgress();
        private Exception? _failure;

        public State(Action<DatasetDownloadProgress>? progress) { _progress = progress; }

        public volatile bool Done;
        public volatile bool Completed;
        public Exception? Failure => Volatile.Read(ref _failure);

        public int Total
        {
            set { lock (_gate) _current.PartsTotal = value; }
        }

        /// <summary>Keeps the first failure: the one that ended the download.</summary>
        public void Fail(Exception error) => Interlocked.CompareExchange(ref _failure, error, null);

        public void Status(DatasetExportStatus status)
        {
            if (status.IsCompleted) Completed = true;
            lock (_gate)
            {
                _current.ExportStatus = status.Status;
                _current.FilesDone = status.FilesDone;
                _current.NumFiles = status.NumFiles;
            }
            Report();
        }

        public void PartSaved(long bytes)
        {
            lock (_gate)
            {
                _current.PartsSaved++;
                _current.BytesSaved += bytes;
            }
            Report();
        }

        public void Report()
        {
            if (_progress == null) return;
            DatasetDownloadProgress copy;
            lock (_gate)
            {
                copy = new DatasetDownloadProgress
                {
                    ExportStatus = _current.ExportStatus,
                    FilesDone = _current.FilesDone,
                    NumFiles = _current.NumFiles,
                    PartsSaved = _current.PartsSaved,
                    PartsTotal = _current.PartsTotal,
                    BytesSaved = _current.BytesSaved,
                };
            }
            _progress(copy);
        }
    }
}
