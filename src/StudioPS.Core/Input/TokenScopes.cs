using System;
using System.Collections.Generic;
using System.Linq;

namespace StudioPS.Input;

/// <summary>
/// The scopes a sign-in may ask a token for, checked before anything is sent: the API document's
/// (JOB, PIPELINE, DATASET, CLUSTER) and those the official client's device flow accepts
/// (EXPERIMENTS, DATASETS, MODELS). Case does not matter; they are sent upper-case.
/// </summary>
internal static class TokenScopes
{
    public static readonly IReadOnlyList<string> Known = new[] { "JOB", "PIPELINE", "DATASET", "CLUSTER", "EXPERIMENTS", "DATASETS", "MODELS" };

    /// <summary>The scopes upper-cased and without repeats; a clear error for an unknown one.</summary>
    public static List<string> Check(IEnumerable<string?>? scopes, string parameterName = "Scope")
    {
        var result = new List<string>();
        foreach (var raw in scopes ?? Enumerable.Empty<string?>())
        {
            // "-Scope job,pipeline" arrives as one string when quoted: take it apart as the official CLI does.
            foreach (var part in (raw ?? string.Empty).Split(','))
            {
                var scope = part.Trim().ToUpperInvariant();
                if (!Known.Contains(scope))
                    throw new StudioInputException("InvalidScope", parameterName,
                        $"-{parameterName} '{part.Trim()}' is not a Studio token scope. Use one or more of {string.Join(", ", Known)}.");
                if (!result.Contains(scope)) result.Add(scope);
            }
        }
        return result;
    }

    /// <summary>A token name is shown in Studio's token list: printable, at most 100 characters.</summary>
    public static string TokenName(string? value, string parameterName = "TokenName")
    {
        var text = value?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Length > 100 || text.Any(char.IsControl))
            throw new StudioInputException("InvalidTokenName", parameterName,
                $"-{parameterName} must be 1 to 100 printable characters; it is the name Studio lists the new token under.");
        return text;
    }
}
