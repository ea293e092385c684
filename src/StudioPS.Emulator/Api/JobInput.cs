using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using StudioPS.Emulator.Auth;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Api;

/// <summary>
/// JobInput: validated like a careful server (400 naming the field), then turned into a Job.
/// </summary>
public static partial class JobInput
{
    /// <summary>Validates a JobInput body and builds the job it describes.</summary>
    public static Job Build(JsonElement body, string team, TokenGrant grant, Emulator emu)
    {
        string? query = Req.OptString(body, "query");
        if (query is null) throw new Req.BadRequest("query is required");
        if (string.IsNullOrWhiteSpace(query)) throw new Req.BadRequest("query must not be empty");

        string queryType = (Req.OptString(body, "query_type") ?? "PYTHON").ToUpperInvariant();
        if (queryType is not ("PYTHON" or "SHELL")) throw new Req.BadRequest("query_type must be PYTHON or SHELL");

        string? clusterName = Req.OptString(body, "compute_cluster_name");
        int? clusterId = Req.OptInt(body, "compute_cluster_id");
        if (clusterName is not null && clusterId is not null)
            throw new Req.BadRequest("compute_cluster_name and compute_cluster_id are mutually exclusive");
        Cluster? cluster;
        if (clusterName is not null)
            cluster = emu.Clusters.FindByName(clusterName) ?? throw new Req.BadRequest($"compute_cluster_name: cluster '{clusterName}' not found");
        else if (clusterId is { } cid)
            cluster = emu.Clusters.FindById(cid) ?? throw new Req.BadRequest($"compute_cluster_id: cluster {cid} not found");
        else
            cluster = emu.Clusters.Default ?? throw new Req.BadRequest("compute_cluster_name: no default compute cluster is available");
        if (!cluster.IsActive)
            throw new Req.BadRequest($"{(clusterId is not null ? "compute_cluster_id" : "compute_cluster_name")}: cluster '{cluster.Name}' is not active");

        int workers = Req.OptInt(body, "workers") ?? 1;
        if (workers < 1 || workers > cluster.MaxWorkers)
            throw new Req.BadRequest($"workers must be between 1 and {cluster.MaxWorkers} for cluster '{cluster.Name}'");

        int priority = Req.OptInt(body, "priority") ?? 5;
        if (priority is < 0 or > 5) throw new Req.BadRequest("priority must be between 0 and 5");

        var files = ParseFiles(body, team, emu);

        string? cron = Req.OptString(body, "cron_expression");
        if (cron is not null)
        {
            cron = cron.Trim();
            if (ValidateCron(cron) is { } cronError) throw new Req.BadRequest("cron_expression: " + cronError);
        }

        DateTime? startAfter = null;
        if (Req.OptString(body, "start_after") is { } startText)
            startAfter = ParseIsoTime(startText) ?? throw new Req.BadRequest("start_after must be an ISO-8601 date and time");

        var environment = ParseEnvironment(body);

        string? requirements = null;
        if (body.TryGetProperty("requirements", out var req) && req.ValueKind == JsonValueKind.Array)
            requirements = string.Join('\n', req.EnumerateArray().Select(e => e.ToString()));
        else
            requirements = Req.OptString(body, "requirements");

        string? rerun = Req.OptString(body, "rerun_from_job_id");
        if (rerun is not null && emu.Jobs.Find(rerun)?.Team != team)
            throw new Req.BadRequest($"rerun_from_job_id: job {rerun} not found");

        string? name = Req.OptString(body, "query_name");
        if (string.IsNullOrWhiteSpace(name)) name = queryType == "SHELL" ? "query.sh" : "query.py";

        string id = Guid.NewGuid().ToString();
        var now = DateTime.UtcNow;
        var job = new Job
        {
            Id = id,
            Team = team,
            Url = $"{emu.BaseUrl}/team/{Uri.EscapeDataString(team)}/datasets/jobs/{id}",
            CreatedAt = now,
            CreatedBy = grant.User,
            Query = query,
            QueryType = queryType,
            Name = name,
            Workers = workers,
            PythonVersion = Req.OptString(body, "python_version") ?? "3.12",
            Requirements = requirements,
            Repository = Req.OptString(body, "repository"),
            Environment = environment,
            Priority = priority,
            ComputeClusterId = cluster.Id,
            ComputeClusterName = cluster.Name,
            StartAfter = startAfter,
            CronExpression = cron,
            CredentialsName = Req.OptString(body, "credentials_name"),
            Files = files,
            RerunFromJobId = rerun,
            ResetCheckpoints = Req.OptBool(body, "reset"),
            // A rerun joins the run group of the job it continues; a first run starts its own.
            RunGroupId = rerun is not null ? emu.Jobs.Find(rerun)!.RunGroupId : id,
        };
        // A cron job is a template (TASK) that the real service spawns runs from; it never runs itself.
        string status = cron is not null ? JobStatus.Task
            : startAfter is { } at && at > now ? JobStatus.Scheduled
            : JobStatus.Created;
        job.InitStatus(status);
        return job;
    }

    static List<string> ParseFiles(JsonElement body, string team, Emulator emu)
    {
        var files = new List<string>();
        if (!body.TryGetProperty("files", out var f) || f.ValueKind == JsonValueKind.Null) return files;
        if (f.ValueKind != JsonValueKind.Array) throw new Req.BadRequest("files must be a list of upload ids");
        foreach (var item in f.EnumerateArray())
        {
            string text = item.ValueKind is JsonValueKind.String or JsonValueKind.Number ? item.ToString() : "";
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int uploadId))
                throw new Req.BadRequest($"files: '{item}' is not an upload id");
            var upload = emu.Jobs.FindUpload(uploadId);
            if (upload is null || upload.Team != team) throw new Req.BadRequest($"files: upload {uploadId} not found");
            if (upload.State != "ready") throw new Req.BadRequest($"files: upload {uploadId} is not ready (state {upload.State})");
            files.Add(uploadId.ToString(CultureInfo.InvariantCulture));
        }
        return files;
    }

    /// <summary>environment is one string of KEY=VALUE lines (the official client joins --env values with \n).</summary>
    static Dictionary<string, string> ParseEnvironment(JsonElement body)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!body.TryGetProperty("environment", out var e) || e.ValueKind == JsonValueKind.Null) return env;
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject()) env[p.Name] = p.Value.ToString();
            return env;
        }
        if (e.ValueKind != JsonValueKind.String) throw new Req.BadRequest("environment must be a string of KEY=VALUE lines");
        int lineNo = 0;
        foreach (string raw in e.GetString()!.Split('\n'))
        {
            lineNo++;
            string line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            int eq = line.IndexOf('=');
            if (eq <= 0 || line[..eq].Trim().Length == 0)
                throw new Req.BadRequest($"environment: line {lineNo} is not KEY=VALUE");
            env[line[..eq].Trim()] = line[(eq + 1)..];
        }
        return env;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex IsoRx();

    public static DateTime? ParseIsoTime(string text)
    {
        text = text.Trim();
        if (!IsoRx().IsMatch(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t.UtcDateTime : null;
    }

    static readonly string[] CronMacros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
    static readonly (string Name, int Min, int Max, string[]? Names)[] CronFields =
    [
        ("minute", 0, 59, null),
        ("hour", 0, 23, null),
        ("day of month", 1, 31, null),
        ("month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        ("day of week", 0, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ];

    /// <summary>A standard 5-field cron (lists, ranges, steps, month and day names) or an @ macro.</summary>
    public static string? ValidateCron(string cron)
    {
        if (cron.StartsWith('@'))
            return CronMacros.Contains(cron.ToLowerInvariant()) ? null : $"unknown macro '{cron}'";
        string[] fields = cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5) return $"expected 5 fields, got {fields.Length}";
        for (int i = 0; i < 5; i++)
        {
            var (name, min, max, names) = CronFields[i];
            foreach (string item in fields[i].Split(','))
            {
                string range = item;
                int slash = item.IndexOf('/');
                if (slash >= 0)
                {
                    if (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int step) || step < 1)
                        return $"bad step in {name} field '{fields[i]}'";
                    range = item[..slash];
                }
                if (range == "*") continue;
                string[] ends = range.Split('-');
                if (ends.Length > 2) return $"bad range in {name} field '{fields[i]}'";
                foreach (string end in ends)
                {
                    int value;
                    if (int.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out int n)) value = n;
                    else if (names is not null && Array.IndexOf(names, end.ToUpperInvariant()) is int k and >= 0) value = k + (min == 1 ? 1 : 0);
                    else return $"bad value '{end}' in {name} field";
                    if (value < min || value > max) return $"{name} value {value} is outside {min}-{max}";
                }
            }
        }
        return null;
    }
}
