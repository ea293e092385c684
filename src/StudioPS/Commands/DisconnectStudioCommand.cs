using System;
using System.Management.Automation;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// Forgets the default connection (or closes the one given) and disposes its HttpClient. With
/// -Revoke it first revokes the token saved at -ConfigScope and removes it from that file.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "Studio", SupportsShouldProcess = true, DefaultParameterSetName = "Session")]
[OutputType(typeof(void))]
public sealed class DisconnectStudioCommand : PSCmdlet, IDisposable
{
    private readonly CmdletRunner _runner;

    public DisconnectStudioCommand()
    {
        _runner = new CmdletRunner(this);
    }

    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public StudioConnection? Connection { get; set; }

    /// <summary>Revokes the saved token at Studio (POST device-logout) and removes it from the config file, like 'datachain auth logout'.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Revoke")]
    public SwitchParameter Revoke { get; set; }

    [Parameter(ParameterSetName = "Revoke")]
    public ConfigScope ConfigScope { get; set; } = ConfigScope.Global;

    protected override void BeginProcessing() => _runner.Begin();

    protected override void StopProcessing() => _runner.Stop();

    protected override void ProcessRecord()
    {
        if (Revoke && !RevokeSavedToken()) return;
        if (Connection != null)
        {
            if (ReferenceEquals(Connection, StudioSession.Default)) StudioSession.Clear();
            else Connection.Dispose();
            WriteVerbose($"Closed the connection to {Connection.BaseUri}.");
            return;
        }
        var removed = StudioSession.Clear();
        // Safe to call twice (e.g. in a finally block): nothing to close is not an error.
        WriteVerbose(removed == null ? "No default Studio connection was open." : $"Closed the default connection to {removed.BaseUri}.");
    }

    /// <summary>False when -WhatIf or a declined -Confirm stopped it: then nothing else happens either.</summary>
    private bool RevokeSavedToken()
    {
        var done = false;
        ErrorRecords.Guard(this, () => done = SavedTokenRevocation.Run(this, _runner, ConfigScope, ConnectionResolver.CurrentDirectory(this)), null);
        return done;
    }

    public void Dispose()
    {
        _runner.Dispose();
        GC.SuppressFinalize(this);
    }
}
