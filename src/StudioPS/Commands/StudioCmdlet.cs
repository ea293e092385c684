using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// The one base of the cmdlets that call Studio: <c>-Team</c> and <c>-Connection</c>, the implicit
/// connection from the environment and datachain config, and the plumbing of a call (Ctrl+C,
/// async work handed back to the pipeline thread, trace, errors) composed from
/// <see cref="CmdletRunner"/> and <see cref="ErrorRecords"/>. Behaviour beyond that (waiting,
/// progress, outcomes) lives in helpers the cmdlets call, not in further base classes.
/// </summary>
public abstract class StudioCmdlet : PSCmdlet, IStudioTrace, IDisposable
{
    private readonly CmdletRunner _runner;
    private StudioConnection? _connection;

    protected StudioCmdlet()
    {
        _runner = new CmdletRunner(this, () => Redactor);
    }

    /// <summary>Background work started by cmdlets that has not finished yet (the reliability suite checks it after Stop).</summary>
    internal static int ActiveWork => CmdletRunner.ActiveWork;

    /// <summary>The team for this call; overrides the connection's default team.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TeamCompleter))]
    public string? Team { get; set; }

    /// <summary>A connection from <c>Connect-Studio -PassThru</c>; the default connection when absent.</summary>
    [Parameter]
    [ValidateNotNull]
    public StudioConnection? Connection { get; set; }

    internal CmdletRunner Runner => _runner;

    /// <summary>The connection this call uses, made implicitly on first use when none exists.</summary>
    protected internal StudioConnection CurrentConnection => _connection ??= ConnectionResolver.Resolve(this, Connection);

    /// <summary>The team for this call, checked before anything is sent.</summary>
    protected internal string RequireTeam() => InputChecks.RequiredTeam(CurrentConnection.ResolveTeam(Team));

    /// <summary>The team when one is known; some endpoints (clusters) do not need it.</summary>
    protected string? OptionalTeam()
    {
        var team = CurrentConnection.ResolveTeam(Team);
        return team == null ? null : InputChecks.Team(team);
    }

    protected override void BeginProcessing() => _runner.Begin();

    protected override void StopProcessing() => _runner.Stop();

    /// <summary>The redactor of this call's connection, once it has one: the token-shape rules before that.</summary>
    internal Redactor Redactor => (_connection ?? Connection)?.Redactor ?? Redactor.None;

    // Every warning, verbose line, progress record and error a Studio cmdlet writes may quote a server
    // (names, statuses, messages): these hide Cmdlet's own methods so that each passes SafeText on its way
    // out (redacted, control characters escaped), whoever builds the text. Log lines go through WriteObject.
    internal new void WriteWarning(string? text) => base.WriteWarning(SafeText.Clean(text, Redactor));

    internal new void WriteVerbose(string? text) => base.WriteVerbose(SafeText.Clean(text, Redactor, keepLineBreaks: true));

    internal new void WriteProgress(ProgressRecord record) => base.WriteProgress(SafeText.Clean(record, Redactor));

    internal new void WriteError(ErrorRecord record) => base.WriteError(SafeText.Clean(record, Redactor));

    internal new void ThrowTerminatingError(ErrorRecord record) => base.ThrowTerminatingError(SafeText.Clean(record, Redactor));

    bool IStudioTrace.VerboseEnabled => _runner.VerboseEnabled;
    bool IStudioTrace.DebugEnabled => _runner.DebugEnabled;
    void IStudioTrace.Verbose(string message) => _runner.Verbose(message);
    void IStudioTrace.Debug(string message) => _runner.Debug(message);

    /// <summary>Runs async work off the pipeline thread (see <see cref="CmdletRunner.Run{T}"/>).</summary>
    internal T Run<T>(Func<CancellationToken, Task<T>> work) => _runner.Run(work);

    internal void Run(Func<CancellationToken, Task> work) => _runner.Run(work);

    /// <summary>Streams an async source to the pipeline (see <see cref="CmdletRunner.RunStream{T}"/>).</summary>
    internal void RunStream<T>(Func<CancellationToken, IAsyncEnumerable<T>> source, Action<T> write) => _runner.RunStream(source, write);

    /// <summary>Runs one record's work, reporting failures the PowerShell way (see <see cref="ErrorRecords.Guard"/>).</summary>
    internal void Execute(Action body, object? target = null) => ErrorRecords.Guard(this, body, target);

    public void Dispose()
    {
        _runner.Dispose();
        GC.SuppressFinalize(this);
    }
}
