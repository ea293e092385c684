using System;
using System.Net.Http;
using System.Security;
using StudioPS.Client;
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

        internal StudioConnection(ResolvedSettings settings, SecureString token, string authScheme, int timeoutSec, int maxRetries,
            string userAgent, HttpMessageHandler? primaryHandler = null)
        {
            _token = token.Copy();
            _token.MakeReadOnly();
            BaseUri = settings.BaseUri;
            ApiUri = new Uri(settings.BaseUri, "/api/");
            Team = settings.Team;
            TeamSource = settings.TeamSource;
            BaseUriSource = settings.BaseUriSource;
            AuthScheme = authScheme;
            TokenSource = settings.TokenSource;
            TokenSourcePath = settings.TokenSourcePath;
            TimeoutSec = timeoutSec;
            MaxRetries = maxRetries;
            UserAgent = userAgent;
            ConnectedAt = DateTimeOffset.Now;

            var plain = ConnectionFactory.Reveal(_token);
            MaskedToken = ConnectionSettings.MaskToken(plain);
            Redactor = new Redactor(plain);
            var timeout = timeoutSec == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(timeoutSec);
            _http = StudioHttp.Create(new StudioHttpOptions
            {
                AuthScheme = authScheme,
                Token = () => ConnectionFactory.Reveal(_token),
                Redactor = Redactor,
                Timeout = timeout,
                MaxRetries = maxRetries,
                UserAgent = userAgent,
                PrimaryHandler = primaryHandler,
            }, out _retry);
            _client = new StudioClient(_http, ApiUri, Redactor, timeout);
            LogSockets = new WebSocketLogSocketFactory(() => authScheme + " " + ConnectionFactory.Reveal(_token), userAgent);
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
