using System;
using System.Net.Http;
using System.Security;
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Logs;

namespace StudioPS.Session
{
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
            BaseUriSource = settings.BaseUriSource;
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
                Redactor = Redactor,
                Timeout = timeout,
                MaxRetries = options.MaxRetries,
                UserAgent = userAgent,
                PrimaryHandler = options.PrimaryHandler,
            }, out _retry);
            _client = new StudioClient(_http, ApiUri, Redactor, timeout);
            LogSockets = new WebSocketLogSocketFactory(() => authScheme + " " + SecureText.Reveal(_token), userAgent);
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

        public string? Team { get; }
        public SettingSource TeamSource { get; }
        public SettingSource BaseUriSource { get; }
        public string AuthScheme { get; }
        public SettingSource TokenSource { get; }

        /// <summary>The environment variable or config file the token came from.</summary>
        public string? TokenSourcePath { get; }

        public string MaskedToken { get; }
        public int TimeoutSec { get; }
        public int MaxRetries { get; }
        public string UserAgent { get; }
        public DateTimeOffset ConnectedAt { get; }

        /// <summary>True once Connect-Studio has proved the token against the server.</summary>
        public bool Validated { get; internal set; }

        /// <summary>Retries this connection has made so far.</summary>
        public int RetryCount => _retry.RetryCount;

        public bool IsDisposed => _disposed;

        internal StudioClient Client
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
                    default: return TokenSource.ToString();
                }
            }
        }

        /// <summary>A team for one call: the call's own, else the connection's.</summary>
        public string? ResolveTeam(string? team) => string.IsNullOrWhiteSpace(team) ? Team : team!.Trim();

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _http.Dispose();
            _token.Dispose();
        }

        public override string ToString() => BaseUri + (Team == null ? string.Empty : " (" + Team + ")");
    }
}
