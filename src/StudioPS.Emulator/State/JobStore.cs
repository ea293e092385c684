using System.Collections.Concurrent;

namespace StudioPS.Emulator.State;

/// <summary>
/// Jobs and uploads of every team. A reset swaps in a fresh generation and cancels the old one's clocks, so
/// nothing from before a reset can change state afterwards.
/// </summary>
public sealed class JobStore
{
    public sealed class Generation
    {
        public AppendOnlyList<Job> Jobs { get; } = new();
        public ConcurrentDictionary<string, Job> ById { get; } = new(StringComparer.OrdinalIgnoreCase);
        public ConcurrentDictionary<int, Upload> Uploads { get; } = new();
        public CancellationTokenSource Stop { get; } = new();
        public int CreateRequests;
        public int NextUploadId;
    }

    volatile Generation _current = new();

    public Generation Current => _current;

    /// <summary>Called once when a job's run ends COMPLETE (the dataset store adds the versions it saved).</summary>
    public Action<Job>? Completed { get; set; }

    public Job? Find(string? id) => id is not null && _current.ById.TryGetValue(id, out var j) ? j : null;

    public void Add(Job job)
    {
        var g = _current;
        g.ById[job.Id] = job;
        g.Jobs.Add(job);
    }

    public int CountCreateRequest() => Interlocked.Increment(ref _current.CreateRequests);

    public Upload NewUpload(string team, string fileName, string dataDir)
    {
        var g = _current;
        int id = Interlocked.Increment(ref g.NextUploadId);
        string safe = string.Concat(fileName.Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '-' or '_' ? ch : '_'));
        var upload = new Upload
        {
            Id = id,
            Team = team,
            FileName = fileName,
            StoredPath = Path.Combine(dataDir, $"{id}-{safe}"),
            CreatedAt = DateTime.UtcNow,
        };
        g.Uploads[id] = upload;
        return upload;
    }

    public Upload? FindUpload(int id) => _current.Uploads.TryGetValue(id, out var u) ? u : null;

    public void Reset()
    {
        var old = _current;
        _current = new Generation();
        old.Stop.Cancel();
        foreach (var u in old.Uploads.Values)
        {
            try { File.Delete(u.StoredPath); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
