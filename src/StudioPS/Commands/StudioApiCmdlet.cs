using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using StudioPS.Models;
using StudioPS.Session;
using StudioPS.Input;

namespace StudioPS.Commands
{
    /// <summary>
    /// Base of every cmdlet that calls Studio: <c>-Team</c> and <c>-Connection</c>, and the
    /// implicit connection from the environment and datachain config when none was made.
    /// </summary>
    public abstract class StudioApiCmdlet : StudioCmdlet
    {
        private StudioConnection? _connection;

        /// <summary>The team for this call; overrides the connection's default team.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TeamCompleter))]
        public string? Team { get; set; }

        /// <summary>A connection from <c>Connect-Studio -PassThru</c>; the default connection when absent.</summary>
        [Parameter]
        [ValidateNotNull]
        public StudioConnection? Connection { get; set; }

        /// <summary>The connection this call uses, made implicitly on first use when none exists.</summary>
        protected StudioConnection CurrentConnection => _connection ??= ResolveConnection();

        private StudioConnection ResolveConnection()
        {
            if (Connection != null)
            {
                if (Connection.IsDisposed)
                    throw new ObjectDisposedException("StudioConnection");
                return Connection;
            }
            var existing = StudioSession.Default;
            if (existing != null && !existing.IsDisposed) return existing;

            var created = ConnectionFactory.Create(new ConnectionRequest(), "Bearer", ConnectionFactory.DefaultTimeoutSec,
                ConnectionFactory.DefaultMaxRetries, UserAgent.For(this), Environment.GetEnvironmentVariable, CurrentDirectory());
            var connection = StudioSession.SetDefaultIfNone(created);
            WriteVerbose($"Connected to {connection.BaseUri} with the token from {Describe(connection)} (no Connect-Studio call was made).");
            return connection;
        }

        /// <summary>Where the connection's token came from, in the words a user acts on.</summary>
        internal static string Describe(StudioConnection connection)
        {
            switch (connection.TokenSource)
            {
                case SettingSource.Parameter: return "the -Token parameter";
                case SettingSource.Environment: return "the environment variable " + connection.TokenSourcePath;
                case SettingSource.ConfigFile: return "the datachain config file " + connection.TokenSourcePath;
                default: return connection.TokenSource.ToString();
            }
        }

        /// <summary>
        /// A status the module does not know is still sent (the server may have new ones), but a
        /// warning says so: a typo would otherwise look like "nothing in that status".
        /// </summary>
        protected void WarnOfUnknownStatuses(IEnumerable<string> statuses, IReadOnlyList<string> known, string what)
        {
            foreach (var status in statuses.Where(s => !known.Contains(s)))
                WriteWarning($"'{status}' is not a {what} status StudioPS knows ({string.Join(", ", known)}); it is sent as given.");
        }

        /// <summary>The team for this call, checked before anything is sent.</summary>
        protected string RequireTeam()
        {
            var team = CurrentConnection.ResolveTeam(Team);
            if (string.IsNullOrWhiteSpace(team))
                throw new StudioInputException("TeamRequired", "Team",
                    "No team is set. Pass -Team, set DATACHAIN_STUDIO_TEAM, give Connect-Studio a -Team, or set studio.team in the datachain config.");
            return InputChecks.Team(team);
        }

        /// <summary>The team when one is known; some endpoints (clusters) do not need it.</summary>
        protected string? OptionalTeam()
        {
            var team = CurrentConnection.ResolveTeam(Team);
            return team == null ? null : InputChecks.Team(team);
        }
    }

    /// <summary>The User-Agent every connection sends: <c>StudioPS/&lt;version&gt; PowerShell/&lt;edition&gt;-&lt;version&gt;</c>.</summary>
    internal static class UserAgent
    {
        private static string? _value;

        /// <summary>Built once, from $PSVersionTable of the first runspace that connects.</summary>
        public static string For(PSCmdlet cmdlet) =>
            _value ??= Build(cmdlet.SessionState.PSVariable.GetValue("PSVersionTable") as System.Collections.IDictionary);

        /// <summary>The value once a cmdlet has built it; before that (an argument completer), the same from the assembly versions.</summary>
        public static string Current => _value ?? Build(null);

        private static string Build(System.Collections.IDictionary? versionTable)
        {
            var module = typeof(UserAgent).Assembly.GetName().Version;
            var moduleVersion = module == null ? "0.0.0" : $"{module.Major}.{module.Minor}.{module.Build}";
            var psVersion = versionTable?["PSVersion"]?.ToString() ?? typeof(PSObject).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
            var edition = versionTable?["PSEdition"]?.ToString() ?? "Core";
            return $"StudioPS/{moduleVersion} PowerShell/{edition}-{psVersion}";
        }
    }
}
