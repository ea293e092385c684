using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace StudioPS.Emulator.State;

/// <summary>
/// The datasets of every team. The pipeline graph's datasets are real datasets here (seeded in each team on
/// first use with their graph version, COMPLETE); a COMPLETE job adds a version to the dataset it saved
/// (a pipeline run saves the dataset it is named after; any job saves what its query names in
/// <c>.save("name")</c>); exports progress over time and serve their parts from another host name.
/// </summary>
public sealed partial class DatasetStore(Emulator emu)
{
    readonly object _gate = new();
    List<StoredDataset> _datasets = [];
    HashSet<string> _seeded = new(StringComparer.Ordinal);
    List<DatasetExport> _exports = [];
    int _nextId;
    int _partsRequests;
    int _partsRequestsWithAuthorization;

    /// <summary>Requests that reached the parts host; how many carried an Authorization header (must stay 0).</summary>
    public (int Requests, int WithAuthorization) PartsRequests
    {
        get { lock (_gate) return (_partsRequests, _partsRequestsWithAuthorization); }
    }

    public void RecordPartsRequest(bool withAuthorization)
    {
        lock (_gate)
        {
            _partsRequests++;
            if (withAuthorization) _partsRequestsWithAuthorization++;
        }
    }

    /// <summary>The parts host's kept objects.</summary>
    public KeptParts Parts { get; } = new(emu.Config.PartsMemoryBytes);

    public void Reset()
    {
        Parts.Clear();
        lock (_gate)
        {
            _datasets = [];
            _seeded = new(StringComparer.Ordinal);
            _exports = [];
            _partsRequests = 0;
            _partsRequestsWithAuthorization = 0;
        }
    }

    public object Gate => _gate;

    /// <summary>A team's datasets (the graph's seeded first). Call under <see cref="Gate"/>.</summary>
    public IEnumerable<StoredDataset> Of(string team)
    {
        Seed(team);
        return _datasets.Where(d => d.Team == team);
    }

    public StoredDataset? Find(string team, string ns, string project, string name) =>
        Of(team).FirstOrDefault(d => d.Namespace == ns && d.Project == project && d.Name == name);

    void Seed(string team)
    {
        foreach (var def in emu.Pipelines.Datasets)
        {
            if (!_seeded.Add(team + "|" + def.Name)) continue;
            var parts = def.Name.Split('.');
            var d = Add(team, parts[0], parts[1], parts[2]);
            AddVersion(d, def.Version, DatasetVersionCode.Complete, null);
        }
        if (_seeded.Add(team + "|internal"))
        {
            // What a query saves without a name: the official client hides these.
            var d = Add(team, "@emulator", "demo", "ds_query_0f3a9c");
            AddVersion(d, "1.0.0", DatasetVersionCode.Complete, null);
        }
    }

    /// <summary>Adds a dataset (under <see cref="Gate"/>).</summary>
    public StoredDataset Add(string team, string ns, string project, string name)
    {
        var d = new StoredDataset
        {
            Id = ++_nextId,
            Uuid = Guid.NewGuid().ToString(),
            Team = team,
            Namespace = ns,
            Project = project,
            Name = name,
        };
        _datasets.Add(d);
        return d;
    }

    /// <summary>Adds a version (under <see cref="Gate"/>); size and rows follow from the version's seed.</summary>
    public StoredDatasetVersion AddVersion(StoredDataset d, string version, int status, string? jobId)
    {
        var now = DateTime.UtcNow;
        var v = new StoredDatasetVersion
        {
            Id = ++_nextId,
            Uuid = Guid.NewGuid().ToString(),
            Version = version,
            Status = status,
            CreatedAt = now,
            FinishedAt = status is DatasetVersionCode.Complete or DatasetVersionCode.Failed ? now : null,
            Rows = 1000 + d.Id * 37 + d.Versions.Count * 11,
            Size = 48 * 1024 + d.Id * 1024 + d.Versions.Count * 512,
            JobId = jobId,
        };
        d.Versions.Add(v);
        return v;
    }

    [GeneratedRegex("""\.save\(\s*(?:"(?<n>[^"]+)"|'(?<n>[^']+)')""")]
    private static partial Regex SaveRx();

    /// <summary>A COMPLETE job saved its datasets: each gets its next version, created by that job.</summary>
    public void OnJobComplete(Job job)
    {
        var names = new List<string>();
        if (emu.Pipelines.Datasets.Any(d => d.Name == job.Name)) names.Add(job.Name);
        foreach (Match m in SaveRx().Matches(job.Query)) names.Add(m.Groups["n"].Value.Trim());
        if (names.Count == 0) return;
        lock (_gate)
        {
            foreach (string name in names.Distinct(StringComparer.Ordinal))
            {
                var parts = name.Split('.');
                // A short name goes to the creator's own namespace, as the official client saves it.
                var (ns, project, shortName) = parts.Length == 3 ? (parts[0], parts[1], parts[2]) : ("@" + job.CreatedBy, "default", parts[^1]);
                var d = Find(job.Team, ns, project, shortName) ?? Add(job.Team, ns, project, shortName);
                d.Removed = false;
                AddVersion(d, d.NextVersion(), DatasetVersionCode.Complete, job.Id);
            }
        }
    }

    /// <summary>The versions a job created, as (full name, version).</summary>
    public List<(string Dataset, string Version)> VersionsOfJob(string team, string jobId)
    {
        lock (_gate)
        {
            return Of(team).SelectMany(d => d.Versions.Where(v => string.Equals(v.JobId, jobId, StringComparison.OrdinalIgnoreCase))
                    .Select(v => (d.FullName, v.Version))).ToList();
        }
    }

    public DatasetExport StartExport(string team, StoredDataset d, StoredDatasetVersion v)
    {
        lock (_gate)
        {
            var export = new DatasetExport
            {
                Id = ++_nextId,
                Team = team,
                Dataset = d,
                Version = v,
                StartedAt = DateTime.UtcNow,
                PartDelay = emu.Options.Scale(v.PartDelayMs),
                Signature = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
            };
            _exports.Add(export);
            return export;
        }
    }

    public DatasetExport? FindExport(int id)
    {
        lock (_gate) return _exports.FirstOrDefault(e => e.Id == id);
    }

    public bool IsRemoved(DatasetExport e)
    {
        lock (_gate) return e.Dataset.Removed || e.Version.Status is DatasetVersionCode.Removed or DatasetVersionCode.Removing;
    }
}
