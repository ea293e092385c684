using System;
using System.Management.Automation;
using System.Security;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Session;
using StudioPS.Input;

namespace StudioPS.Commands;

/// <summary>Connects to Studio: resolves token, team and URL, checks the token once, and makes the connection the default.</summary>
[Cmdlet(VerbsCommunications.Connect, "Studio", DefaultParameterSetName = "Token")]
[OutputType(typeof(StudioConnection))]
public sealed class ConnectStudioCommand : PSCmdlet, IDisposable
{
    private readonly CmdletRunner _runner;

    public ConnectStudioCommand()
    {
        _runner = new CmdletRunner(this);
    }

    [Parameter(Position = 0, ParameterSetName = "Token")]
    [SecureStringTransformation]
    public SecureString? Token { get; set; }

    /// <summary>Signs in with the device flow: a code approved in a browser, as 'datachain auth login' does.</summary>
    [Parameter(ParameterSetName = DeviceCodeSet)]
    public SwitchParameter UseDeviceCode { get; set; }

    [Parameter(ParameterSetName = DeviceCodeSet)]
    public string? TokenName { get; set; }

    [Parameter(ParameterSetName = DeviceCodeSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Scope { get; set; }

    [Parameter(ParameterSetName = DeviceCodeSet)]
    [ValidateRange(1, 3650)]
    public int ExpiresInDays { get; set; } = DeviceLoginOptions.DefaultExpiresInDays;

    [Parameter(ParameterSetName = DeviceCodeSet)]
    public SwitchParameter NoBrowser { get; set; }

    /// <summary>Saves url, token and team to the datachain config file at -ConfigScope once connected.</summary>
    [Parameter]
    public SwitchParameter Save { get; set; }

    [Parameter]
    public ConfigScope ConfigScope { get; set; } = ConfigScope.Global;

    /// <summary>With -Save: replaces a token already saved for the same Studio.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private const string DeviceCodeSet = "DeviceCode";

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TeamCompleter))]
    public string? Team { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    [Parameter]
    [ValidateSet("Bearer", "Token", IgnoreCase = true)]
    public string AuthScheme { get; set; } = "Bearer";

    /// <summary>Seconds each request may take; 0 means no limit.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int TimeoutSec { get; set; } = StudioConnectionOptions.DefaultTimeoutSec;

    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetries { get; set; } = StudioConnectionOptions.DefaultMaxRetries;

    [Parameter]
    public SwitchParameter SkipValidation { get; set; }

    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing() => _runner.Begin();

    protected override void StopProcessing() => _runner.Stop();

    protected override void ProcessRecord()
    {
        // The rule: a Connect-Studio that fails changes nothing; the previous default stays in use, and it says so.
        var previous = StudioSession.Default;
        ErrorRecords.Guard(this, () => KeepPreviousOnFailure(previous, () =>
        {
            if (Team != null) InputChecks.Team(Team);
            var token = Token == null ? null : SecureText.Reveal(Token);
            if (Token != null && string.IsNullOrWhiteSpace(token))
                throw new StudioInputException("EmptyToken", "Token", "-Token is empty. Pass the Studio token (it starts with isat_), or leave -Token out to use DATACHAIN_STUDIO_TOKEN or the datachain config.");
            var directory = ConnectionResolver.CurrentDirectory(this);
            var signIn = ParameterSetName == DeviceCodeSet ? DeviceLoginOptionsFromParameters() : null;
            var tokenSource = SettingSource.Parameter;
            // Where the sign-in and the saved token go: the same Studio the connection will use.
            var target = Save || signIn != null
                ? ConnectionSettings.Resolve(new StudioConnectionOptions { Token = token, BaseUri = BaseUri?.OriginalString, AllowUnencryptedAuthentication = AllowUnencryptedAuthentication },
                    Environment.GetEnvironmentVariable, DatachainConfig.Load(Environment.GetEnvironmentVariable, directory)).BaseUri
                : null;
            var savePath = Save ? SavedTokenCommands.CheckCanSave(this, ConfigScope, directory, target!, Force) : null;
            if (signIn != null)
            {
                var wait = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) && TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;
                token = DeviceCodeSignIn.Run(this, _runner, target!, AllowUnencryptedAuthentication, signIn, wait, NoBrowser, MaxRetries);
                tokenSource = SettingSource.DeviceLogin;
            }
            var connection = StudioConnection.Open(new StudioConnectionOptions
            {
                TokenSource = tokenSource,
                Token = token,
                Team = Team,
                BaseUri = BaseUri?.OriginalString,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                // Studio's own scheme word is lower case, as the official client sends it.
                AuthScheme = string.Equals(AuthScheme, "Token", StringComparison.OrdinalIgnoreCase) ? "token" : "Bearer",
                TimeoutSec = TimeoutSec,
                MaxRetries = MaxRetries,
                UserAgent = UserAgent.For(this),
                CurrentDirectory = directory,
            });
            try
            {
                WriteVerbose($"Studio {connection.BaseUri}, team '{connection.Team ?? "(none)"}', token {connection.MaskedToken} from {connection.TokenOrigin}.");
                if (!SkipValidation)
                {
                    _runner.Run(token => connection.Client.ValidateAsync(connection.Team, _runner, token));
                    connection.Validated = true;
                }
            }
            catch (StudioApiException error)
            {
                connection.Dispose();
                WarnPreviousKept(previous);
                ThrowTerminatingError(SafeText.Clean(ErrorRecords.FromApi(Explain(error, connection), connection.BaseUri), connection.Redactor));
            }
            catch
            {
                connection.Dispose();
                throw;
            }
            if (connection.Team == null)
                WriteWarning("No team is set: none was given with -Team, DATACHAIN_STUDIO_TEAM is empty and no datachain config file names one. " +
                             "Every call will need -Team; or connect again with -Team, or set DATACHAIN_STUDIO_TEAM.");
            if (savePath != null)
            {
                SavedTokenCommands.Write(this, savePath, () =>
                {
                    try { SavedLogin.Save(savePath, connection.BaseUri, connection.RevealToken(), Team == null ? null : connection.Team); }
                    catch { connection.Dispose(); throw; }
                    return true;
                });
                WriteVerbose($"Saved the Studio address, the token {connection.MaskedToken}{(Team == null ? string.Empty : " and the team " + connection.Team)} to {savePath}.");
            }
            if (PassThru) connection.OwnedByCaller = true;
            StudioSession.SetDefault(connection);
            if (PassThru) WriteObject(connection);
        }), null);
    }

    public void Dispose()
    {
        _runner.Dispose();
        GC.SuppressFinalize(this);
    }

    private bool _warnedPrevious;

    private void KeepPreviousOnFailure(StudioConnection? previous, Action body)
    {
        try
        {
            body();
        }
        catch (Exception error) when (!(error is PipelineStoppedException))
        {
            WarnPreviousKept(previous);
            throw;
        }
    }

    /// <summary>After a failure: the default connection from before is untouched and still used (when there is one).</summary>
    private void WarnPreviousKept(StudioConnection? previous)
    {
        if (_warnedPrevious) return;
        _warnedPrevious = true;
        if (previous == null || previous.IsDisposed || !ReferenceEquals(previous, StudioSession.Default)) return;
        WriteWarning($"Connect-Studio failed, so nothing changed: the previous connection ({previous.BaseUri}, team '{previous.Team ?? "(none)"}', token {previous.MaskedToken}) is still in use.");
    }

    /// <summary>The device sign-in's parameters, checked before anything is sent.</summary>
    private DeviceLoginOptions DeviceLoginOptionsFromParameters()
    {
        if (!UseDeviceCode)
            throw new StudioInputException("DeviceCodeParameterWithoutSignIn", "UseDeviceCode",
                "-TokenName, -Scope, -ExpiresInDays and -NoBrowser belong to the device sign-in: add -UseDeviceCode.");
        return new DeviceLoginOptions
        {
            TokenName = TokenName == null ? null : TokenScopes.TokenName(TokenName),
            Scopes = TokenScopes.Check(Scope),
            ExpiresInDays = ExpiresInDays,
        };
    }

    /// <summary>Says in a runbook's terms which setting is wrong.</summary>
    private static StudioApiException Explain(StudioApiException error, StudioConnection connection)
    {
        var said = error.ServerMessage?.Trim();
        var server = string.IsNullOrEmpty(said) ? string.Empty
            : " Studio said: " + said + (said!.EndsWith(".", StringComparison.Ordinal) || said.EndsWith("!", StringComparison.Ordinal) ? string.Empty : ".");
        string message;
        switch (error.Kind)
        {
            case StudioErrorKind.Unauthorized:
                message = $"Studio at {connection.BaseUri} did not accept the token {connection.MaskedToken} from {connection.TokenOrigin}.{server} " +
                          "Check the token, or get a new one with 'datachain auth token'.";
                break;
            case StudioErrorKind.Forbidden:
                message = $"The token {connection.MaskedToken} has no access to team '{connection.Team}' at {connection.BaseUri}.{server} " +
                          "Check -Team (or DATACHAIN_STUDIO_TEAM) and the token's teams and scopes.";
                break;
            default:
                return error;
        }
        return new StudioApiException(error.Kind, connection.Redactor.Redact(message), error.StatusCode, error.ServerMessage,
            error.Method, error.Path, error.OutcomeUnknown, error.RetryAfter, error);
    }
}
