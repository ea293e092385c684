using System;
using System.Management.Automation;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>The connection a call uses: the one given, else the default, else one made from the environment and datachain config.</summary>
internal static class ConnectionResolver
{
    public static StudioConnection Resolve(PSCmdlet cmdlet, StudioConnection? given)
    {
        if (given != null)
        {
            if (given.IsDisposed)
                throw new ObjectDisposedException("StudioConnection");
            return given;
        }
        var existing = StudioSession.Default;
        if (existing != null && !existing.IsDisposed) return existing;

        var created = StudioConnection.Open(new StudioConnectionOptions
        {
            UserAgent = UserAgent.For(cmdlet),
            CurrentDirectory = CurrentDirectory(cmdlet),
        });
        var connection = StudioSession.SetDefaultIfNone(created);
        cmdlet.WriteVerbose($"Connected to {connection.BaseUri} with the token from {connection.TokenOrigin} (no Connect-Studio call was made).");
        return connection;
    }

    /// <summary>The file-system location the user is in: where a local .datachain/config is looked for.</summary>
    public static string CurrentDirectory(PSCmdlet cmdlet)
    {
        try
        {
            return cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        }
        catch (PSInvalidOperationException)
        {
            return Environment.CurrentDirectory;
        }
    }
}
