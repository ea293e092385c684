using System;
using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// Disconnect-Studio -Revoke, as 'datachain auth logout': POST device-logout with the token saved at
/// a level; 2xx removes studio.token and studio.team from that file, 401 warns (already revoked) and
/// removes them too, anything else (or no answer) is an error and the file is kept.
/// </summary>
internal static class SavedTokenRevocation
{
    /// <summary>False when ShouldProcess declined.</summary>
    public static bool Run(PSCmdlet cmdlet, CmdletRunner runner, ConfigScope scope, string currentDirectory)
    {
        var path = SavedTokenCommands.PathOf(scope, currentDirectory);
        var saved = SavedTokenCommands.Read(cmdlet, path);
        if (saved.Token == null)
            ErrorRecords.Terminate(cmdlet, ErrorRecords.Create("NoSavedToken", ErrorCategory.ObjectNotFound,
                $"No Studio token is saved in {path} ({scope}), so there is nothing to revoke. " +
                (scope == ConfigScope.Global ? "Try -ConfigScope Local for a project's token; " : "Try -ConfigScope Global for your own token; ") +
                "Disconnect-Studio without -Revoke only closes the session.", path));

        var address = SavedLogin.RevokeAddress(saved, Environment.GetEnvironmentVariable, currentDirectory);
        var masked = ConnectionSettings.MaskToken(saved.Token);
        if (!cmdlet.ShouldProcess($"Studio token {masked} saved in {path}", $"Revoke at {address} and remove from the file"))
            return false;

        bool revokedNow;
        using (var connection = StudioConnection.Open(new StudioConnectionOptions
               {
                   Token = saved.Token,
                   BaseUri = address.AbsoluteUri,
                   UserAgent = UserAgent.For(cmdlet),
                   CurrentDirectory = currentDirectory,
               }))
        {
            try
            {
                revokedNow = runner.Run(token => SavedLogin.RevokeAsync(connection, runner, token));
            }
            catch (StudioApiException error)
            {
                var record = ErrorRecords.FromApi(error, address);
                record.ErrorDetails = new ErrorDetails($"Could not revoke the token {masked} at {address}: {error.Message} " +
                                                       $"It stays saved in {path}; try again when Studio answers.");
                ErrorRecords.Terminate(cmdlet, record);
                throw;
            }
        }
        if (!revokedNow)
            cmdlet.WriteWarning($"Studio at {address} says the token {masked} is not valid (401): it was already revoked or has expired. Removing it from {path} anyway.");
        SavedTokenCommands.Write(cmdlet, path, () => SavedLogin.Forget(path));
        cmdlet.WriteVerbose($"Revoked the token {masked} and removed studio.token and studio.team from {path}.");
        return true;
    }
}
