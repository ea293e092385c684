using System.Linq;

namespace StudioPS.Input
{
    /// <summary>Checks shared by cmdlets, so the same bad value gets the same error everywhere.</summary>
    internal static class InputChecks
    {
        /// <summary>An id goes into URLs and query strings: it may not be empty or hold spaces, slashes or control characters.</summary>
        public static string Id(string? value, string parameterName, string what)
        {
            var text = value?.Trim() ?? string.Empty;
            if (text.Length == 0 || text.Length > 200 || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/' || c == '\\' || c == '?' || c == '#' || c == '&'))
                throw new StudioInputException("Invalid" + what.Replace(" ", string.Empty) + "Id", parameterName,
                    $"-{parameterName} '{Clip(value)}' is not a valid {what} id: ids have no spaces, slashes or control characters.");
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
            var text = (value ?? string.Empty).Replace("\n", "\\n").Replace("\r", "\\r");
            return text.Length <= 60 ? text : text.Substring(0, 60) + "...";
        }
    }
}
