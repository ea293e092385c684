using System;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Http;
using StudioPS.Input;
using StudioPS.Logs;
using StudioPS.Models;

namespace StudioPS.Session;

/// <summary>
/// A connection to one Studio with one token: its settings, where they came from, the token
/// (held as a SecureString and shown only masked) and the one HttpClient all calls share.
/// Thread-safe: runspaces of ForEach-Object -Parallel and thread jobs may use it at once.
/// </summary>
public sealed class StudioConnection : IDisposable
{
    private readonly SecureString _token;
    private readonly HttpClient _http;
    private readonly RetryHandler _retry;
    private readonly StudioClient _client;
    private readonly HttpClient _foreignHttp;
    private volatile bool _disposed;

    /// <summary>
    /// Opens a connection: resolves token, team and address from <paramref name="options"/>, the
    /// environment and the datachain config, and builds the one HttpClient its calls share. No
    /// request is sent yet.
    /// </summary>
    /// <exception cref="StudioInputException">No token was found, or the address is not usable (the message says which setting to fix).</exception>
    public static StudioConnection Open(StudioConnectionOptions? options = null)
    {
        options ??= new StudioConnectionOptions();
        var environment = options.EnvironmentOrDefault;
        var directory = options.CurrentDirectoryOrDefault;
        var config = DatachainConfig.Load(environment, directory);
        var settings = ConnectionSettings.Resolve(options, environment, config);
        if (string.IsNullOrEmpty(settings.Token))
            throw new StudioInputException("TokenNotFound", "Token", NoTokenMessage(environment, directory));
        return new StudioConnection(settings, options);
    }

    /// <summary>
    /// Says where a token was looked for (the parameter, the variable, each config file) and the one
    /// file that 'datachain auth login' writes: the global config.
    /// </summary>
    internal static string NoTokenMessage(Func<string, string?> environment, string currentDirectory)
    {
        var searched = DatachainConfig.Locate(environment, currentDirectory);
        var global = System.IO.Path.Combine(DatachainConfig.GlobalDirectory(environment), "config");
        return "No Studio token was found: not in -Token, not in DATACHAIN_STUDIO_TOKEN, and not in the [studio] section of the " +
               "datachain config files " + string.Join(", ", searched) + ". Pass -Token to Connect-Studio, set DATACHAIN_STUDIO_TOKEN, " +
               "or run 'datachain auth login' (or 'Connect-Studio -UseDeviceCode -Save'), which writes the token to " + global + ".";
    }

    internal StudioConnection(ResolvedSettings settings, StudioConnectionOptions options)
    {
        _token = SecureText.ToSecureString(settings.Token ?? string.Empty);
        var authScheme = options.AuthScheme;
        var userAgent = options.UserAgent ?? DefaultUserAgent;
        BaseUri = settings.BaseUri;
        ApiUri = new Uri(settings.BaseUri, "/api/");
        Team = settings.Team;
        TeamSource = settings.TeamSource;
        TeamSourcePath = settings.TeamSourcePath;
        BaseUriSource = settings.BaseUriSource;
        BaseUriSourcePath = settings.BaseUriSourcePath;
        AuthScheme = authScheme;
        TokenSource = settings.TokenSource;
        TokenSourcePath = settings.TokenSourcePath;
        TimeoutSec = options.TimeoutSec;
        MaxRetries = options.MaxRetries;
        UserAgent = userAgent;
        ConnectedAt = DateTimeOffset.Now;

        var plain = SecureText.Reveal(_token);
        MaskedToken = ConnectionSettings.MaskToken(plain);
        Redactor = new Redactor(plain);
        var timeout = options.TimeoutSec == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(options.TimeoutSec);
        _http = StudioHttp.Create(new StudioHttpOptions
        {
            AuthScheme = authScheme,
            Token = () => SecureText.Reveal(_token),
            StudioOrigin = BaseUri,
            Redactor = Redactor,
            Timeout = timeout,
            MaxRetries = options.MaxRetries,
            UserAgent = userAgent,
            PrimaryHandler = options.PrimaryHandler,
        }, out _retry);
        _client = new StudioClient(_http, ApiUri, Redactor, timeout);
        // Export parts live on another origin: their client has no auth handler at all, and each part's own
        // origin (not Studio's) decides whether it goes through the proxy.
        _foreignHttp = ForeignOriginHttp.Create(timeout, options.MaxRetries, userAgent, options.PrimaryHandler, disposePrimary: false);
        LogSockets = new WebSocketLogSocketFactory(() => authScheme + " " + SecureText.Reveal(_token), userAgent, new LogSocketSettings
        {
            UseProxy = StudioHttp.UseProxyFor(BaseUri),
            IdleTimeout = timeout == System.Threading.Timeout.InfiniteTimeSpan ? timeout : TimeSpan.FromTicks(Math.Max(timeout.Ticks, TimeSpan.FromMinutes(5).Ticks)),
        });
    }

    private static string DefaultUserAgent
    {
        get
        {
            var version = typeof(StudioConnection).Assembly.GetName().Version;
            return "StudioPS.Core/" + (version == null ? "0.0.0" : $"{version.Major}.{version.Minor}.{version.Build}");
        }
    }

    /// <summary>Opens job log websockets with this connection's token.</summary>
    internal ILogSocketFactory LogSockets { get; set; }

    /// <summary>The Studio address as users know it, e.g. https://studio.datachain.ai.</summary>
    public Uri BaseUri { get; }

    /// <summary>The API root the module calls: BaseUri plus /api/.</summary>
    public Uri ApiUri { get; }

    /// <summary>The default team of calls that need one; null when none was found.</summary>
    public string? Team { get; }

    /// <summary>Where <see cref="Team"/> came from.</summary>
    public SettingSource TeamSource { get; }

    /// <summary>Where <see cref="BaseUri"/> came from.</summary>
    public SettingSource BaseUriSource { get; }

    /// <summary>The environment variable or config file the team came from.</summary>
    public string? TeamSourcePath { get; }

    /// <summary>The environment variable or config file the address came from.</summary>
    public string? BaseUriSourcePath { get; }

    /// <summary>The Authorization scheme sent with the token: <c>Bearer</c> or <c>token</c>.</summary>
    public string AuthScheme { get; }

    /// <summary>Where the token came from.</summary>
    public SettingSource TokenSource { get; }

    /// <summary>The environment variable or config file the token came from.</summary>
    public string? TokenSourcePath { get; }

    /// <summary>The token as it may be shown: <c>isat_****</c> and at most its last 4 characters.</summary>
    public string MaskedToken { get; }

    /// <summary>Seconds each request may take; 0 means no limit.</summary>
    public int TimeoutSec { get; }

    /// <summary>How many times a request that is safe to repeat is sent again after a transient failure.</summary>
    public int MaxRetries { get; }

    /// <summary>The User-Agent header every request sends.</summary>
    public string UserAgent { get; }

    /// <summary>When the connection was opened.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>True once Connect-Studio has proved the token against the server.</summary>
    public bool Validated { get; internal set; }

    /// <summary>Retries this connection has made so far.</summary>
    public int RetryCount => _retry.RetryCount;

    /// <summary>True once the connection is closed (<see cref="Dispose"/>, Disconnect-Studio).</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The client whose methods call Studio over this connection.</summary>
    /// <exception cref="ObjectDisposedException">The connection is closed.</exception>
    public StudioClient Client
    {
        get
        {
            if (_disposed)
                throw new ObjectDisposedException(nameof(StudioConnection),
                    "This Studio connection was closed by Disconnect-Studio. Run Connect-Studio again.");
            return _client;
        }
    }

    internal Redactor Redactor { get; }

    /// <summary>The token in plain text, for the one moment it is needed: saving it to the user's own config file.</summary>
    internal string RevealToken() => SecureText.Reveal(_token);

    /// <summary>For URLs Studio hands out that are not Studio's (signed export parts): never carries the token.</summary>
    internal HttpClient ForeignHttp
    {
        get
        {
            if (_disposed) throw new ObjectDisposedException(nameof(StudioConnection));
            return _foreignHttp;
        }
    }

    /// <summary>True when the user holds this object (Connect-Studio -PassThru): replacing the default then does not close it.</summary>
    internal bool OwnedByCaller { get; set; }

    /// <summary>Where the token came from, in the words a user acts on.</summary>
    internal string TokenOrigin
    {
        get
        {
            switch (TokenSource)
            {
                case SettingSource.Parameter: return "the -Token parameter";
                case SettingSource.Environment: return "the environment variable " + TokenSourcePath;
                case SettingSource.ConfigFile: return "the datachain config file " + TokenSourcePath;
                case SettingSource.DeviceLogin: return "the device sign-in (-UseDeviceCode)";
                default: return TokenSource.ToString();
            }
        }
    }

    /// <summary>
    /// Follows a job's log until the job ends: the lines logged so far, then each new line as it
    /// is written, over Studio's websocket (reconnecting as needed, no line repeated or lost;
    /// the REST log endpoint where the socket is not served).
    /// </summary>
    /// <param name="team">The job's team.</param>
    /// <param name="jobId">The job's id.</param>
    /// <param name="line">Gets each line of the log, in order; the next line waits for it.</param>
    /// <param name="trace">Where the call's trace goes; null for none.</param>
    /// <param name="cancellationToken">Stops following.</param>
    /// <returns>The job's last state seen on the stream (read it again with <see cref="StudioClient.GetJobAsync"/> for every field).</returns>
    public Task<StudioJob?> FollowJobLogAsync(string team, string jobId, Func<string, Task> line, IStudioTrace? trace = null,
        CancellationToken cancellationToken = default)
    {
        if (line == null) throw new ArgumentNullException(nameof(line));
        var follower = new LogFollower(Client, LogSockets, InputChecks.Team(team), InputChecks.Id(jobId, "JobId", "job"), trace ?? NullTrace.Instance);
        return follower.RunAsync(e => e.Kind == LogEventKind.Line ? line(e.Message ?? string.Empty) : Task.CompletedTask, cancellationToken);
    }

    /// <summary>A team for one call: the call's own, else the connection's.</summary>
    /// <param name="team">The call's team, or null.</param>
    public string? ResolveTeam(string? team) => string.IsNullOrWhiteSpace(team) ? Team : team!.Trim();

    /// <summary>Closes the connection: its HttpClient and the token it holds.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _http.Dispose();
        _foreignHttp.Dispose();
        _token.Dispose();
    }

    /// <summary>The address and team, e.g. <c>https://studio.datachain.ai/ (acme)</c>.</summary>
    public override string ToString() => BaseUri + (Team == null ? string.Empty : " (" + Team + ")");
}
