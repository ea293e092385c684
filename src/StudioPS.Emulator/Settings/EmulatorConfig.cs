using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using StudioPS.Emulator.Auth;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Settings;

/// <summary>Everything the emulator starts from: the command line merged over the settings file.</summary>
public sealed class EmulatorConfig
{
    public const string DefaultTeamName = "emulator-team";
    public const string OtherTeamName = "other-team";

    public int Port { get; set; }
    public string DefaultTeam { get; set; } = DefaultTeamName;
    public List<string> Teams { get; set; } = [DefaultTeamName, OtherTeamName];
    public string ReadWriteToken { get; set; } = NewToken();
    public string ReadOnlyToken { get; set; } = NewToken();
    /// <summary>What every /_emulator request must carry in X-Emulator-Control: printed at start, or given by --control-token.</summary>
    public string ControlToken { get; set; } = NewControlToken();
    /// <summary>Extra tokens from the settings file.</summary>
    public List<TokenGrant> ExtraTokens { get; set; } = [];
    public List<Cluster> Clusters { get; set; } = Cluster.Defaults();
    public List<DatasetDef> Datasets { get; set; } = DatasetDef.Defaults();
    public double Speed { get; set; } = 1.0;
    public int? ParentPid { get; set; }
    public int MaxLifetimeSec { get; set; } = 3600;
    /// <summary>Where uploads are stored; null = a temp folder deleted on exit.</summary>
    public string? DataDir { get; set; }
    /// <summary>The pipeline trigger body accepted: "any", "document" or "official" (--pipeline-trigger-form).</summary>
    public string PipelineTriggerForm { get; set; } = "any";
    /// <summary>How many bytes of export parts the parts host keeps once made (<see cref="KeptParts"/>; --parts-memory-mib); more are made again per request.</summary>
    public long PartsMemoryBytes { get; set; } = KeptParts.DefaultBudget;

    public static readonly JsonSerializerOptions SnakeCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>"isat_" + 40 random alphanumerics, the shape of a real Studio token.</summary>
    public static string NewToken()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return "isat_" + RandomNumberGenerator.GetString(alphabet, 40);
    }

    /// <summary>"ctl_" + 40 random alphanumerics: never a Studio token, so the two cannot be confused.</summary>
    public static string NewControlToken() => "ctl_" + NewToken()["isat_".Length..];

    public IEnumerable<TokenGrant> AllTokens()
    {
        yield return TokenGrant.Create(ReadWriteToken, DefaultTeam, Access.Write, "emulator-user");
        yield return TokenGrant.Create(ReadOnlyToken, DefaultTeam, Access.Read, "emulator-reader");
        foreach (var t in ExtraTokens) yield return t;
    }

    public static EmulatorConfig From(CommandLineOptions cli)
    {
        var cfg = new EmulatorConfig { Port = cli.Port, ParentPid = cli.ParentPid, MaxLifetimeSec = cli.MaxLifetimeSec, DataDir = cli.DataDir };
        if (cli.Team is not null) cfg.DefaultTeam = cli.Team;
        if (cli.PipelineTriggerForm is not null) cfg.PipelineTriggerForm = cli.PipelineTriggerForm;
        if (cli.PartsMemoryMib is { } mib) cfg.PartsMemoryBytes = mib * 1024L * 1024;

        if (cli.SettingsPath is not null)
        {
            SettingsFile file;
            try
            {
                using var stream = File.OpenRead(cli.SettingsPath);
                file = JsonSerializer.Deserialize<SettingsFile>(stream, SnakeCase) ?? new SettingsFile();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                throw new UsageException($"cannot read settings file '{cli.SettingsPath}': {e.Message}");
            }
            cfg.Apply(file);
        }

        if (!cfg.Teams.Contains(cfg.DefaultTeam)) cfg.Teams.Insert(0, cfg.DefaultTeam);
        if (cli.Token is not null) cfg.ReadWriteToken = cli.Token;
        if (cli.ReadOnlyToken is not null) cfg.ReadOnlyToken = cli.ReadOnlyToken;
        if (cli.ControlToken is not null) cfg.ControlToken = cli.ControlToken;
        if (cfg.ControlToken == cfg.ReadWriteToken || cfg.ControlToken == cfg.ReadOnlyToken)
            throw new UsageException("the control token must differ from the API tokens");
        if (cfg.ReadWriteToken == cfg.ReadOnlyToken) throw new UsageException("--token and --readonly-token must differ");
        if (cli.Speed is { } speed) cfg.Speed = speed;
        return cfg;
    }

    void Apply(SettingsFile file)
    {
        if (file.Teams is { Count: > 0 } teams)
            Teams = teams.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToList();
        if (file.ControlToken is { } control)
        {
            if (string.IsNullOrWhiteSpace(control)) throw new UsageException("settings: control_token must not be empty");
            ControlToken = control;
        }
        if (file.Speed is { } s)
        {
            if (!(s > 0)) throw new UsageException("settings: speed must be positive");
            Speed = s;
        }
        if (file.Clusters is not null)
        {
            if (ValidateClusters(file.Clusters) is { } err) throw new UsageException("settings: " + err);
            Clusters = file.Clusters;
        }
        if (file.Datasets is not null)
        {
            if (DatasetDef.Validate(file.Datasets) is { } err) throw new UsageException("settings: " + err);
            Datasets = file.Datasets;
        }
        foreach (var t in file.Tokens ?? [])
        {
            if (string.IsNullOrWhiteSpace(t.Token)) throw new UsageException("settings: every token needs a 'token' value");
            var scopes = new Dictionary<string, Access>(StringComparer.OrdinalIgnoreCase);
            foreach (var (scope, level) in t.Scopes ?? [])
            {
                scopes[scope] = level?.ToLowerInvariant() switch
                {
                    "write" => Access.Write,
                    "read" => Access.Read,
                    "none" or "" or null => Access.None,
                    _ => throw new UsageException($"settings: scope {scope} of a token must be \"read\" or \"write\""),
                };
            }
            ExtraTokens.Add(new TokenGrant
            {
                Token = t.Token,
                Teams = new HashSet<string>(t.Teams ?? [DefaultTeam], StringComparer.Ordinal),
                Scopes = scopes,
                User = string.IsNullOrWhiteSpace(t.User) ? "emulator-user" : t.User,
            });
        }
    }

    public static string? ValidateClusters(IReadOnlyList<Cluster> clusters)
    {
        var ids = new HashSet<int>();
        foreach (var c in clusters)
        {
            if (string.IsNullOrWhiteSpace(c.Name)) return "clusters: every cluster needs a name";
            if (!ids.Add(c.Id)) return $"clusters: id {c.Id} is used twice";
            if (c.MaxWorkers < 1) return $"clusters: max_workers of '{c.Name}' must be at least 1";
        }
        return null;
    }

    sealed class SettingsFile
    {
        public List<string>? Teams { get; set; }
        public List<TokenSetting>? Tokens { get; set; }
        public List<Cluster>? Clusters { get; set; }
        public List<DatasetDef>? Datasets { get; set; }
        public double? Speed { get; set; }
        public string? ControlToken { get; set; }
    }

    sealed class TokenSetting
    {
        public string? Token { get; set; }
        public List<string>? Teams { get; set; }
        public Dictionary<string, string?>? Scopes { get; set; }
        public string? User { get; set; }
    }
}
