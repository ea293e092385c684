using System.Security.Cryptography;

namespace StudioPS.Emulator.State;

/// <summary>
/// Runs pipelines over the dataset graph: one run per dataset in the target's dependency closure, started
/// as a real job once all its parents COMPLETED. A failed run fails the pipeline and cancels what has not
/// started; pause and resume act at the next job start (running jobs finish).
/// </summary>
public sealed class PipelineEngine(Emulator emu)
{
    readonly object _gate = new();
    List<Pipeline> _pipelines = [];
    volatile IReadOnlyList<DatasetDef> _datasets = emu.Config.Datasets;

    public IReadOnlyList<DatasetDef> Datasets => _datasets;

    public void ReplaceDatasets(IReadOnlyList<DatasetDef> datasets) => _datasets = datasets;

    int _generation;

    public void Reset()
    {
        lock (_gate)
        {
            _pipelines = [];
            _generation++;
        }
        _datasets = emu.Config.Datasets;
    }

    public List<Pipeline> All()
    {
        lock (_gate) return [.. _pipelines];
    }

    /// <summary>Finds a team's pipeline by name and/or id (both must match when both are given).</summary>
    public Pipeline? Find(string team, string? name, string? id)
    {
        lock (_gate)
        {
            return _pipelines.LastOrDefault(p => p.Team == team
                && (name is null || p.Name == name)
                && (id is null || string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)));
        }
    }

    /// <summary>Creates a pipeline for the targets. Throws ApiException 404 for an unknown dataset.</summary>
    public Pipeline Trigger(string team, string createdBy, IReadOnlyList<string> targets, bool review)
    {
        var graph = _datasets.ToDictionary(d => d.Name, StringComparer.Ordinal);
        foreach (string t in targets)
            if (!graph.ContainsKey(t)) throw new ApiException(404, $"Dataset {t} not found", withOkFalse: true);

        // Dependencies first, targets last: a depth-first post-order over the closure.
        var order = new List<DatasetDef>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(DatasetDef d)
        {
            if (!seen.Add(d.Name)) return;
            foreach (string parent in d.DependsOn)
                if (graph.TryGetValue(parent, out var p)) Visit(p);
            order.Add(d);
        }
        foreach (string t in targets) Visit(graph[t]);

        var now = DateTime.UtcNow;
        var runIds = order.ToDictionary(d => d.Name, _ => Guid.NewGuid().ToString(), StringComparer.Ordinal);
        Pipeline pipeline;
        lock (_gate)
        {
            pipeline = new Pipeline
            {
                Id = Guid.NewGuid().ToString(),
                Name = UniqueName(team),
                Team = team,
                TriggeredFrom = targets[0],
                CreatedBy = createdBy,
                CreatedAt = now,
                UpdatedAt = now,
                Generation = _generation,
                // review: a person looks at the plan first, so nothing runs until it is resumed.
                Status = review ? PipelineStatus.Paused : PipelineStatus.Pending,
            };
            foreach (var d in order)
            {
                pipeline.Runs.Add(new PipelineRun
                {
                    JobId = runIds[d.Name],
                    Name = d.Name,
                    Dataset = d,
                    ParentJobIds = d.DependsOn.Where(runIds.ContainsKey).Select(p => runIds[p]).ToList(),
                });
            }
            _pipelines.Add(pipeline);
        }
        Advance(pipeline);
        return pipeline;
    }

    public string? Pause(Pipeline p)
    {
        lock (p.Gate)
        {
            if (PipelineStatus.IsTerminal(p.Status)) return $"Pipeline is already {p.Status}";
            if (p.Status != PipelineStatus.Paused)
            {
                p.Status = PipelineStatus.Paused;
                p.UpdatedAt = DateTime.UtcNow;
            }
        }
        return null;
    }

    public string? Resume(Pipeline p)
    {
        lock (p.Gate)
        {
            if (PipelineStatus.IsTerminal(p.Status)) return $"Pipeline is already {p.Status}";
            if (p.Status == PipelineStatus.Paused)
            {
                p.Status = p.Runs.Any(r => r.CreatedJobId is not null) ? PipelineStatus.Running : PipelineStatus.Pending;
                p.UpdatedAt = DateTime.UtcNow;
            }
        }
        Advance(p);
        return null;
    }

    /// <summary>Removes a PENDING run from a PAUSED pipeline; its dependents stop waiting for it.</summary>
    public (int Status, string? Error) RemoveJob(Pipeline p, string jobId)
    {
        lock (p.Gate)
        {
            if (p.Status != PipelineStatus.Paused) return (409, "Jobs can only be removed from a PAUSED pipeline");
            var run = p.Runs.FirstOrDefault(r => string.Equals(r.JobId, jobId, StringComparison.OrdinalIgnoreCase)
                || string.Equals(r.CreatedJobId, jobId, StringComparison.OrdinalIgnoreCase)
                || r.Name == jobId);
            if (run is null) return (404, $"Job {jobId} not found in pipeline {p.Name}");
            if (run.Status != PipelineStatus.Pending)
                return (409, $"Job {run.Name} is {run.Status}: only PENDING jobs can be removed");
            p.Runs.Remove(run);
            foreach (var r in p.Runs) r.ParentJobIds.Remove(run.JobId);
            p.UpdatedAt = DateTime.UtcNow;
        }
        Advance(p);
        return (200, null);
    }

    /// <summary>Starts every run whose parents are all COMPLETED, unless paused or finished; settles the status.</summary>
    void Advance(Pipeline p)
    {
        if (p.Generation != Volatile.Read(ref _generation)) return;
        var toStart = new List<(PipelineRun Run, Job Job)>();
        lock (p.Gate)
        {
            if (p.Status is PipelineStatus.Pending or PipelineStatus.Running)
            {
                var completed = p.Runs.Where(r => r.Status == PipelineStatus.Completed).Select(r => r.JobId).ToHashSet();
                foreach (var run in p.Runs)
                {
                    if (run.Status != PipelineStatus.Pending || !run.ParentJobIds.All(completed.Contains)) continue;
                    var job = NewJob(p, run);
                    run.Status = PipelineStatus.Running;
                    run.CreatedJobId = job.Id;
                    toStart.Add((run, job));
                }
                if (toStart.Count > 0) p.Status = PipelineStatus.Running;
            }
            if (!PipelineStatus.IsTerminal(p.Status)
                && p.Runs.All(r => r.Status is PipelineStatus.Completed))
                p.Status = PipelineStatus.Completed;
            p.UpdatedAt = DateTime.UtcNow;
        }
        foreach (var (run, job) in toStart)
        {
            // The callback is attached before the clock starts, so no completion can be missed.
            job.OnTerminal = j => OnJobFinished(p, run, j);
            job.RecordInitialEvent();
            emu.Clock.Start(job);
            emu.Jobs.Add(job);
        }
    }

    void OnJobFinished(Pipeline p, PipelineRun run, Job job)
    {
        string status;
        string? error;
        lock (job.Gate)
        {
            status = job.Status;
            error = job.ErrorMessage;
        }
        lock (p.Gate)
        {
            var now = DateTime.UtcNow;
            p.UpdatedAt = now;
            if (status == JobStatus.Complete)
            {
                run.Status = PipelineStatus.Completed;
            }
            else
            {
                bool canceled = status == JobStatus.Canceled;
                run.Status = canceled ? PipelineStatus.Canceled : PipelineStatus.Failed;
                if (!PipelineStatus.IsTerminal(p.Status))
                {
                    p.Status = canceled ? PipelineStatus.Canceled : PipelineStatus.Failed;
                    p.ErrorMessage = canceled
                        ? $"Job for {run.Name} was canceled"
                        : $"Job for {run.Name} failed: {error ?? "unknown error"}";
                    p.ErrorStack = string.Join('\n', job.OutputLines().TakeLast(20));
                }
                // Nothing new starts in a finished pipeline: dependents (and any other waiting run) are canceled.
                foreach (var r in p.Runs)
                    if (r.Status == PipelineStatus.Pending) r.Status = PipelineStatus.Canceled;
            }
        }
        Advance(p);
    }

    Job NewJob(Pipeline p, PipelineRun run)
    {
        string id = Guid.NewGuid().ToString();
        var cluster = emu.Clusters.Default;
        var job = new Job
        {
            Id = id,
            Team = p.Team,
            Url = $"{emu.BaseUrl}/team/{Uri.EscapeDataString(p.Team)}/datasets/jobs/{id}",
            CreatedAt = DateTime.UtcNow,
            CreatedBy = p.CreatedBy,
            Query = run.Dataset.EffectiveQuery(),
            QueryType = "PYTHON",
            Name = run.Name,
            ComputeClusterId = cluster?.Id,
            ComputeClusterName = cluster?.Name,
        };
        job.InitStatus(JobStatus.Created);
        return job;
    }

    static readonly string[] First =
    [
        "rathe", "brisk", "mellow", "amber", "quiet", "lucid", "fickle", "stout", "wry", "dusky", "nimble", "tawny",
        "placid", "sable", "jaunty", "ruddy", "sly", "balmy", "gusty", "hazel", "lanky", "misty", "prim", "sunny",
    ];
    static readonly string[] Second =
    [
        "kyat", "heron", "quokka", "lynx", "marmot", "ibex", "tapir", "vole", "okapi", "gecko", "wren", "dingo",
        "kudu", "finch", "newt", "oriole", "puffin", "stoat", "tern", "yak", "zebu", "civet", "egret", "koel",
    ];

    string UniqueName(string team)
    {
        for (int attempt = 0; ; attempt++)
        {
            string name = $"{First[RandomNumberGenerator.GetInt32(First.Length)]}-{Second[RandomNumberGenerator.GetInt32(Second.Length)]}";
            if (attempt > 20) name += "-" + RandomNumberGenerator.GetInt32(1000, 10000);
            if (!_pipelines.Any(p => p.Team == team && p.Name == name)) return name;
        }
    }
}
