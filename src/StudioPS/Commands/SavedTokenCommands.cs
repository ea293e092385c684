using System;
using System.IO;
using System.Management.Automation;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>What Connect-Studio -Save and Disconnect-Studio -Revoke share: the file of a level, and errors that name it.</summary>
internal static class SavedTokenCommands
{
    public static string PathOf(ConfigScope scope, string currentDirectory) =>
        DatachainConfigWriter.PathOf(scope, Environment.GetEnvironmentVariable, currentDirectory);

    /// <summary>Refuses, before any sign-in, to overwrite a token saved for the same Studio (the official CLI's rule) unless -Force.</summary>
    public static string CheckCanSave(PSCmdlet cmdlet, ConfigScope scope, string currentDirectory, Uri baseUri, bool force)
    {
        var path = PathOf(scope, currentDirectory);
        var saved = Read(cmdlet, path);
        if (!force && SavedLogin.HasTokenFor(saved, baseUri))
            ErrorRecords.Terminate(cmdlet, ErrorRecords.Create("TokenAlreadySaved", ErrorCategory.ResourceExists,
                $"A token for {baseUri} is already saved in {path} ({ConnectionSettings.MaskToken(saved.Token)}). " +
                $"Revoke it first with 'Disconnect-Studio -Revoke -ConfigScope {scope}', or pass -Force to replace it.", path));
        return path;
    }

    public static SavedStudioSettings Read(PSCmdlet cmdlet, string path)
    {
        try
        {
            return SavedLogin.Read(path);
        }
        catch (Exception error) when (error is IOException || error is UnauthorizedAccessException)
        {
            ErrorRecords.Terminate(cmdlet, ErrorRecords.Create("ConfigReadFailed", ErrorCategory.ReadError,
                $"Could not read the datachain config file {path}: {error.Message}", path, error));
            throw;
        }
    }

    /// <summary>Runs a change to a config file; a file that cannot be written ends the command with an error naming it.</summary>
    public static T Write<T>(PSCmdlet cmdlet, string path, Func<T> change)
    {
        try
        {
            return change();
        }
        catch (Exception error) when (error is IOException || error is UnauthorizedAccessException || error is System.Text.DecoderFallbackException)
        {
            ErrorRecords.Terminate(cmdlet, ErrorRecords.Create("ConfigWriteFailed", ErrorCategory.WriteError,
                $"Could not write the datachain config file {path}: {error.Message} The file was left as it was.", path, error));
            throw;
        }
    }
}
