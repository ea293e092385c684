using System.Collections.Generic;
using System.Linq;

namespace StudioPS.Input;

/// <summary>Checks shared by cmdlets, so the same bad value gets the same error everywhere.</summary>
internal static class InputChecks
{
    /// <summary>
    /// An id goes into URL paths and query strings: it may not be empty, <c>.</c> or <c>..</c> (a path
    /// segment that would move the request elsewhere), or hold spaces, control characters or
    /// <c>/ \ ? # % &amp;</c>.
    /// </summary>
    /// <summary>
    /// A folder files are saved into (a full path): it, or the first of its parents that exists, must not be a
    /// file. Checked before anything is sent, so a bad -Path costs no export.
    /// </summary>
    public static void OutputFolder(string fullPath, string shownAs, string parameterName = "Path")
    {
        for (var at = fullPath; !string.IsNullOrEmpty(at); at = System.IO.Path.GetDirectoryName(at))
        {
            if (System.IO.File.Exists(at))
                throw new StudioInputException("PathIsFile", parameterName, at == fullPath
                    ? $"-{parameterName} '{shownAs}' is a file; give a folder (it is created when missing)."
                    : $"-{parameterName} '{shownAs}' lies under '{at}', which is a file; give a folder (it is created when missing).");
            if (System.IO.Directory.Exists(at)) return;
        }
    }

    public static string Id(string? value, string parameterName, string what)
    {
        var text = value?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Length > 200 || text == "." || text == ".."
            || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/' || c == '\\' || c == '?' || c == '#' || c == '&' || c == '%'))
            throw new StudioInputException("Invalid" + what.Replace(" ", string.Empty) + "Id", parameterName,
                $"-{parameterName} '{Clip(value)}' is not a valid {what} id: ids are not '.' or '..' and have no spaces, control characters or / \\ ? # % &.");
        return text;
    }

    /// <summary>A team name travels in query strings and bodies: no spaces, slashes or control characters.</summary>
    public static string Team(string? value, string parameterName = "Team")
    {
        var text = value?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Length > 200 || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/' || c == '\\' || c == '?' || c == '#' || c == '&' || c == '%'))
            throw new StudioInputException("InvalidTeam", parameterName,
                $"-{parameterName} '{Clip(value)}' is not a team name: team names have no spaces, slashes or control characters. Get-StudioConnection shows the team in use.");
        return text;
    }

    /// <summary>The team a call needs (the call's own, else the connection's); none is an error that says where to set one.</summary>
    public static string RequiredTeam(string? team)
    {
        if (string.IsNullOrWhiteSpace(team))
            throw new StudioInputException("TeamRequired", "Team",
                "No team is set. Pass -Team, set DATACHAIN_STUDIO_TEAM, give Connect-Studio a -Team, or set studio.team in the datachain config.");
        return Team(team);
    }

    /// <summary>Checks a pipeline selector before anything is sent: a name, an id, or both.</summary>
    public static (string? Name, string? Id) PipelineSelector(string? name, string? id)
    {
        if (string.IsNullOrWhiteSpace(name) && string.IsNullOrWhiteSpace(id))
            throw new StudioInputException("PipelineSelectorRequired", "Name",
                "Name the pipeline with -Name or -Id (Get-StudioPipeline lists them).");
        if (name != null && (name.Trim().Length == 0 || name.Any(char.IsControl)))
            throw new StudioInputException("InvalidPipelineName", "Name", $"-Name '{name}' is not a pipeline name.");
        return (name?.Trim(), id == null ? null : Id(id, "Id", "pipeline"));
    }

    /// <summary>
    /// A status the module does not know is still sent (the server may have new ones), but a
    /// warning says so: a typo would otherwise look like "nothing in that status".
    /// </summary>
    public static IEnumerable<string> UnknownStatusWarnings(IEnumerable<string> statuses, IReadOnlyList<string> known, string what) =>
        statuses.Where(s => !known.Contains(s))
            .Select(status => $"'{status}' is not a {what} status StudioPS knows ({string.Join(", ", known)}); it is sent as given.");

    /// <summary>Statuses as the server takes them: upper-cased words; one the module does not know is still sent.</summary>
    public static System.Collections.Generic.List<string> Statuses(string[]? values)
    {
        var statuses = (values ?? new string[0]).Select(s => (s ?? string.Empty).Trim().ToUpperInvariant()).ToList();
        if (statuses.Any(s => s.Length == 0 || s.Any(c => !char.IsLetterOrDigit(c) && c != '_')))
            throw new StudioInputException("InvalidStatus", "Status",
                $"-Status '{string.Join(", ", values!)}' holds a value that is not a status word, such as RUNNING.");
        return statuses;
    }

    private static string Clip(string? value)
    {
        var text = StudioPS.Rendering.DisplayText.Escape(value);
        return text.Length <= 60 ? text : text.Substring(0, 60) + "...";
    }
}
