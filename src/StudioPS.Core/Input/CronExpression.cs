using System;
using System.Collections.Generic;
using System.Globalization;

namespace StudioPS.Input;

/// <summary>
/// Checks a cron expression on the client, so a typo fails at once instead of after a round
/// trip: five fields (minute hour day-of-month month day-of-week) with *, ?, lists, ranges,
/// steps and month/day names, or one of the @ shortcuts.
/// </summary>
internal static class CronExpression
{
    private static readonly HashSet<string> Shortcuts = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    };

    private static readonly string[] Months = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };
    private static readonly string[] Days = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };

    private static readonly (string Name, int Min, int Max, string[]? Names, int NameBase)[] Fields =
    {
        ("minute", 0, 59, null, 0),
        ("hour", 0, 23, null, 0),
        ("day of month", 1, 31, null, 0),
        ("month", 1, 12, Months, 1),
        ("day of week", 0, 7, Days, 0),
    };

    /// <summary>Null when valid; otherwise why not.</summary>
    public static string? Check(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression)) return "it is empty";
        var text = expression!.Trim();
        if (text.StartsWith("@", StringComparison.Ordinal))
            return Shortcuts.Contains(text) ? null : $"'{text}' is not one of {string.Join(", ", Shortcuts)}";
        var parts = text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
            return $"it has {parts.Length} field{(parts.Length == 1 ? string.Empty : "s")}; cron takes 5 (minute hour day-of-month month day-of-week)";
        for (var i = 0; i < 5; i++)
        {
            var problem = CheckField(parts[i], Fields[i]);
            if (problem != null) return $"the {Fields[i].Name} field '{parts[i]}' {problem}";
        }
        return null;
    }

    public static void Validate(string? expression, string parameterName = "Cron")
    {
        var problem = Check(expression);
        if (problem != null)
            throw new StudioInputException("InvalidCron", parameterName,
                $"-{parameterName} '{expression}' is not a valid cron expression: {problem}. Example: '0 3 * * 1-5' (03:00 on weekdays) or '@daily'.");
    }

    private static string? CheckField(string field, (string Name, int Min, int Max, string[]? Names, int NameBase) spec)
    {
        foreach (var item in field.Split(','))
        {
            if (item.Length == 0) return "has an empty list item";
            var range = item;
            var slash = item.IndexOf('/');
            if (slash >= 0)
            {
                range = item.Substring(0, slash);
                if (!int.TryParse(item.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1)
                    return "has a step that is not a positive number";
            }
            if (range == "*" || range == "?") continue;
            var dash = range.IndexOf('-');
            if (dash >= 0)
            {
                var low = Value(range.Substring(0, dash), spec);
                var high = Value(range.Substring(dash + 1), spec);
                if (low == null || high == null) return $"is not within {spec.Min}-{spec.Max}";
                if (low > high) return "has a range that runs backwards";
                continue;
            }
            if (Value(range, spec) == null) return $"is not within {spec.Min}-{spec.Max}";
        }
        return null;
    }

    private static int? Value(string text, (string Name, int Min, int Max, string[]? Names, int NameBase) spec)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return number >= spec.Min && number <= spec.Max ? number : (int?)null;
        if (spec.Names != null)
        {
            var index = Array.IndexOf(spec.Names, text.ToUpperInvariant());
            if (index >= 0) return index + spec.NameBase;
        }
        return null;
    }
}
