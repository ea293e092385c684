using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

using StudioPS.Models;

namespace StudioPS.Input;

/// <summary>
/// Turns New-StudioJob's parameters into a <see cref="JobInput"/>, checking every one before
/// anything is sent. Pure logic apart from reading the files it is pointed at.
/// </summary>
internal sealed class JobRequestBuilder
{
    private static readonly Regex PythonVersionPattern = new Regex(@"^\d+\.\d+(\.\d+)?$", RegexOptions.CultureInvariant);

    public string? Query { get; set; }

    /// <summary>A local script file (already resolved to a file-system path).</summary>
    public string? ScriptPath { get; set; }

    public string? QueryType { get; set; }
    public string? Name { get; set; }
    public IDictionary? Environment { get; set; }
    public string? EnvironmentFile { get; set; }
    public int? Workers { get; set; }
    public IList<string> FileIds { get; } = new List<string>();
    public string? PythonVersion { get; set; }
    public IList<string> Requirements { get; } = new List<string>();
    public string? RequirementsFile { get; set; }
    public string? Repository { get; set; }
    public int? Priority { get; set; }
    public string? ClusterName { get; set; }
    public string? ClusterId { get; set; }
    public DateTimeOffset? StartAfter { get; set; }
    public string? Cron { get; set; }
    public string? CredentialsName { get; set; }

    /// <summary>The id of the job to continue from (rerun_from_job_id).</summary>
    public string? RerunFrom { get; set; }

    /// <summary>Ignore checkpoints and run from the start (reset: true).</summary>
    public bool IgnoreCheckpoints { get; set; }

    /// <summary>The clock that gives a cron job its start time when none is given.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>True when the job will not run now: a later start or a cron schedule.</summary>
    public bool IsScheduled(DateTimeOffset now) => Cron != null || (StartAfter.HasValue && StartAfter.Value > now);

    public JobInput Build(string team)
    {
        var input = new JobInput { TeamName = team };

        if (Query != null && ScriptPath != null)
            throw new StudioInputException("QueryAndPath", "Query", "-Query and -Path both give the script; pass one of them.");
        if (ScriptPath != null)
        {
            input.Query = ReadText(ScriptPath, "Path");
            input.QueryName = Name ?? System.IO.Path.GetFileName(ScriptPath);
            input.QueryType = System.IO.Path.GetExtension(ScriptPath).Equals(".py", StringComparison.OrdinalIgnoreCase) ? "PYTHON" : "SHELL";
            if (string.IsNullOrWhiteSpace(input.Query))
                throw new StudioInputException("EmptyQuery", "Path", $"-Path '{ScriptPath}' is empty; Studio needs a script to run.");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(Query))
                throw new StudioInputException("EmptyQuery", "Query", "-Query is empty. Pass the script text, or -Path with a script file.");
            input.Query = Query!;
            input.QueryName = Name;
            input.QueryType = "PYTHON";
        }
        if (QueryType != null)
        {
            var type = QueryType.ToUpperInvariant();
            if (type != "PYTHON" && type != "SHELL")
                throw new StudioInputException("InvalidQueryType", "QueryType", $"-QueryType '{QueryType}' is not PYTHON or SHELL.");
            input.QueryType = type;
        }
        if (Name != null && string.IsNullOrWhiteSpace(Name))
            throw new StudioInputException("InvalidName", "Name", "-Name is empty; leave it out to use the script's file name.");

        input.Environment = BuildEnvironment();
        if (Workers.HasValue && Workers.Value < 1)
            throw new StudioInputException("InvalidWorkers", "Workers", $"-Workers {Workers} is out of range; use 1 or more (at most the cluster's max workers).");
        input.Workers = Workers;

        foreach (var id in FileIds)
            if (string.IsNullOrWhiteSpace(id) || id.Any(char.IsWhiteSpace))
                throw new StudioInputException("InvalidFileId", "FileId", $"-FileId '{id}' is not a file id; Send-StudioFile returns ids.");
        input.Files = FileIds.Count == 0 ? null : FileIds.ToList();

        if (PythonVersion != null && !PythonVersionPattern.IsMatch(PythonVersion))
            throw new StudioInputException("InvalidPythonVersion", "PythonVersion", $"-PythonVersion '{PythonVersion}' is not a version like 3.12.");
        input.PythonVersion = PythonVersion;

        input.Requirements = BuildRequirements();
        if (Repository != null && !Uri.TryCreate(Repository, UriKind.Absolute, out _))
            throw new StudioInputException("InvalidRepository", "Repository", $"-Repository '{Repository}' is not a URL, for example https://github.com/org/repo.");
        input.Repository = Repository;

        if (Priority.HasValue && (Priority.Value < 0 || Priority.Value > 5))
            throw new StudioInputException("InvalidPriority", "Priority", $"-Priority {Priority} is out of range; use 0 (runs first) to 5.");
        input.Priority = Priority;

        if (ClusterName != null && ClusterId != null)
            throw new StudioInputException("ClusterNameAndId", "ClusterName", "-ClusterName and -ClusterId both choose the cluster; pass only one.");
        if (ClusterName != null && string.IsNullOrWhiteSpace(ClusterName))
            throw new StudioInputException("InvalidClusterName", "ClusterName", "-ClusterName is empty.");
        if (ClusterId != null && (string.IsNullOrWhiteSpace(ClusterId) || ClusterId.Any(char.IsWhiteSpace)))
            throw new StudioInputException("InvalidClusterId", "ClusterId", $"-ClusterId '{ClusterId}' is not a cluster id; Get-StudioCluster shows them.");
        input.ComputeClusterName = ClusterName;
        input.ComputeClusterId = ClusterId == null ? null
            : long.TryParse(ClusterId, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) ? numeric : (object)ClusterId;

        if (StartAfter.HasValue)
            input.StartAfter = StartAfter.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (Cron != null)
        {
            CronExpression.Validate(Cron);
            input.CronExpression = Cron.Trim();
            // As the official client: a schedule without a start time starts now (UTC).
            if (!StartAfter.HasValue)
                input.StartAfter = Now().ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
        if (RerunFrom != null && (string.IsNullOrWhiteSpace(RerunFrom) || RerunFrom.Trim().Any(char.IsWhiteSpace)))
            throw new StudioInputException("InvalidRerunFrom", "RerunFrom", $"-RerunFrom '{RerunFrom}' is not a job id; give a job id or a job from Get-StudioJob.");
        input.RerunFromJobId = RerunFrom?.Trim();
        input.Reset = IgnoreCheckpoints;
        if (CredentialsName != null && string.IsNullOrWhiteSpace(CredentialsName))
            throw new StudioInputException("InvalidCredentialsName", "CredentialsName", "-CredentialsName is empty.");
        input.CredentialsName = CredentialsName;
        return input;
    }

    private string? BuildEnvironment()
    {
        var merged = new List<KeyValuePair<string, string>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);

        void Put(string key, string value)
        {
            if (index.TryGetValue(key, out var at)) merged[at] = new KeyValuePair<string, string>(key, value);
            else
            {
                index[key] = merged.Count;
                merged.Add(new KeyValuePair<string, string>(key, value));
            }
        }

        if (EnvironmentFile != null)
        {
            foreach (var pair in EnvironmentText.Parse(ReadText(EnvironmentFile, "EnvironmentFile"), EnvironmentFile))
            {
                EnvironmentText.CheckValue(pair.Key, pair.Value, "EnvironmentFile", $"-EnvironmentFile '{EnvironmentFile}'");
                Put(pair.Key, pair.Value);
            }
        }
        // -Environment is the more explicit of the two, so its value wins for a key in both.
        if (Environment != null)
        {
            foreach (DictionaryEntry entry in Environment)
            {
                var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                var value = entry.Value == null ? string.Empty : Convert.ToString(entry.Value, CultureInfo.InvariantCulture) ?? string.Empty;
                EnvironmentText.CheckKey(key, "Environment", "-Environment");
                EnvironmentText.CheckValue(key, value, "Environment", "-Environment");
                Put(key, value);
            }
        }
        return merged.Count == 0 ? null : EnvironmentText.Format(merged);
    }

    private string? BuildRequirements()
    {
        var lines = new List<string>();
        if (RequirementsFile != null)
            lines.AddRange(ReadText(RequirementsFile, "RequirementsFile").Replace("\r\n", "\n").Split('\n')
                .Select(l => l.Trim()).Where(l => l.Length > 0));
        foreach (var requirement in Requirements)
        {
            if (string.IsNullOrWhiteSpace(requirement) || requirement.IndexOfAny(new[] { '\n', '\r' }) >= 0)
                throw new StudioInputException("InvalidRequirement", "Requirement", $"-Requirement '{requirement}' must be one non-empty requirement line, like numpy==1.24.0.");
            lines.Add(requirement.Trim());
        }
        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    private static string ReadText(string path, string parameterName)
    {
        try
        {
            if (Directory.Exists(path))
                throw new StudioInputException("PathIsDirectory", parameterName, $"-{parameterName} '{path}' is a folder; give a file.");
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new StudioInputException("FileNotFound", parameterName, $"-{parameterName} '{path}' does not exist.", notFound: true);
        }
        catch (DirectoryNotFoundException)
        {
            throw new StudioInputException("FileNotFound", parameterName, $"-{parameterName} '{path}' does not exist.", notFound: true);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new StudioInputException("FileNotReadable", parameterName, $"-{parameterName} '{path}' cannot be read: {e.Message}");
        }
    }
}
