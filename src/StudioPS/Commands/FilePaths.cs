using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Commands;

/// <summary>Resolves PowerShell paths to local files and checks them before anything is sent.</summary>
internal static class FilePaths
{
    /// <summary>One literal path: must be an existing, readable file on the file system.</summary>
    public static string ResolveFile(PSCmdlet cmdlet, string path, string parameterName, bool openForRead = false)
    {
        string resolved;
        try
        {
            resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                throw new StudioInputException("NotAFileSystemPath", parameterName, $"-{parameterName} '{path}' is not a file-system path.");
        }
        catch (Exception e) when (e is ProviderNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is NotSupportedException || e is ArgumentException && !(e is StudioInputException))
        {
            throw new StudioInputException("InvalidPath", parameterName, $"-{parameterName} '{path}' is not a usable path: {e.Message}");
        }
        return Check(resolved, path, parameterName, openForRead);
    }

    /// <summary>Paths with wildcards: every match must be a readable file; a pattern matching nothing is an error.</summary>
    public static List<string> ResolveFiles(PSCmdlet cmdlet, string path, string parameterName)
    {
        System.Collections.ObjectModel.Collection<string> matches;
        try
        {
            matches = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                throw new StudioInputException("NotAFileSystemPath", parameterName, $"-{parameterName} '{path}' is not a file-system path.");
        }
        catch (ItemNotFoundException)
        {
            throw new StudioInputException("FileNotFound", parameterName, $"-{parameterName} '{path}' does not exist.", notFound: true);
        }
        catch (Exception e) when (e is ProviderNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is NotSupportedException)
        {
            throw new StudioInputException("InvalidPath", parameterName, $"-{parameterName} '{path}' is not a usable path: {e.Message}");
        }
        if (matches.Count == 0)
            throw new StudioInputException("FileNotFound", parameterName, $"-{parameterName} '{path}' matches no file.", notFound: true);
        var files = new List<string>();
        foreach (var match in matches) files.Add(Check(match, match, parameterName, openForRead: true));
        return files;
    }

    private static string Check(string resolved, string given, string parameterName, bool openForRead)
    {
        if (Directory.Exists(resolved))
            throw new StudioInputException("PathIsDirectory", parameterName, $"-{parameterName} '{given}' is a folder; give a file.");
        if (!File.Exists(resolved))
            throw new StudioInputException("FileNotFound", parameterName, $"-{parameterName} '{given}' does not exist.", notFound: true);
        if (openForRead)
        {
            try
            {
                using (new FileStream(resolved, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
                {
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StudioInputException("FileNotReadable", parameterName, $"-{parameterName} '{given}' cannot be read: {e.Message}");
            }
        }
        return resolved;
    }
}
