using System.Collections.Generic;
using System.Globalization;

namespace StudioPS.Models;

/// <summary>Names for the numeric status codes of dataset versions (the official client's table).</summary>
public static class DatasetVersionStatus
{
    private static readonly Dictionary<int, string> Names = new Dictionary<int, string>
    {
        [1] = "CREATED",
        [2] = "PENDING",
        [3] = "FAILED",
        [4] = "COMPLETE",
        [6] = "STALE",
        [7] = "REMOVING",
        [8] = "REMOVED",
    };

    /// <summary>Every status name the module knows.</summary>
    public static IReadOnlyCollection<string> KnownNames => Names.Values;

    /// <summary>The name for a code; a code the module does not know reads <c>UNKNOWN(n)</c>, null stays null.</summary>
    public static string? NameOf(int? code)
    {
        if (code == null) return null;
        return Names.TryGetValue(code.Value, out var name) ? name : "UNKNOWN(" + code.Value.ToString(CultureInfo.InvariantCulture) + ")";
    }
}
