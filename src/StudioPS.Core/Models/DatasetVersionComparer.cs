using System;
using System.Collections.Generic;
using System.Globalization;

namespace StudioPS.Models;

/// <summary>Orders versions numerically part by part (1.0.10 after 1.0.9); text that is not a number sorts by ordinal.</summary>
internal sealed class DatasetVersionComparer : IComparer<string?>
{
    public static DatasetVersionComparer Instance { get; } = new DatasetVersionComparer();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x == null) return -1;
        if (y == null) return 1;
        var a = x.Split('.', '-', '+');
        var b = y.Split('.', '-', '+');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length) return -1;
            if (i >= b.Length) return 1;
            var numeric = long.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var na)
                          & long.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var nb);
            var c = numeric ? na.CompareTo(nb) : string.CompareOrdinal(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }
}
