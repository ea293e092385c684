using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using StudioPS.Models;

namespace StudioPS.Input;

/// <summary>
/// What a dataset name as users write it selects: a full <c>namespace.project.name</c> (read with
/// <c>datasets/info</c>), a short name, or a wildcard pattern. For a list, the literal head of the name part
/// goes to the server as <c>prefix</c> and the whole pattern filters here. Internal <c>ds_query_</c>
/// datasets are left out unless the pattern itself starts with that prefix.
/// </summary>
internal sealed class DatasetSelector
{
    private const string InternalPrefix = "ds_query_";
    // A part of a wildcard pattern: what DatasetName allows in a part, and the wildcard characters.
    private static readonly Regex PatternPartPattern = new Regex("^@?[" + DatasetName.PartCharacters + @"*?\[\]]+$", RegexOptions.CultureInvariant);

    private Regex? _match;
    private bool _matchFullName;

    public string Text { get; private set; } = string.Empty;
    public string? Namespace { get; private set; }
    public string? Project { get; private set; }
    public string Name { get; private set; } = string.Empty;
    public string? Version { get; private set; }

    /// <summary>True for namespace.project.name without wildcards: one dataset, read by info.</summary>
    public bool IsExact => !HasWildcards && Namespace != null;

    public bool HasWildcards { get; private set; }

    /// <summary>What goes to the server as <c>prefix</c> for a list (null: none).</summary>
    public string? Prefix { get; private set; }

    /// <summary>The full name when <see cref="IsExact"/>.</summary>
    public string FullName => (Namespace == null ? string.Empty : Namespace + ".") + (Project == null ? string.Empty : Project + ".") + Name;

    /// <summary>Reads one name. <paramref name="allowWildcards"/> is false where one dataset must be named.</summary>
    public static DatasetSelector Parse(string? text, string parameter, bool allowWildcards, bool allowVersion = false)
    {
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
            throw new StudioInputException("InvalidDatasetName", parameter, $"-{parameter} is empty. Give namespace.project.name (e.g. @alice.demo.raw), a short name or a wildcard pattern.");
        var result = new DatasetSelector { Text = value };
        value = DatasetName.SplitVersion(value, out var version);
        if (version != null)
        {
            if (!allowVersion)
                throw new StudioInputException("InvalidDatasetName", parameter, $"-{parameter} '{text}' holds a version ('@{version}'); give it to -Version instead.");
            result.Version = version;
            if (!DatasetName.IsVersion(version))
                throw new StudioInputException("InvalidVersion", parameter, $"'{result.Version}' in -{parameter} '{text}' is not a version like 1.0.0.");
        }
        result.HasWildcards = value.IndexOfAny(new[] { '*', '?', '[' }) >= 0;
        if (result.HasWildcards && !allowWildcards)
            throw new StudioInputException("InvalidDatasetName", parameter, $"-{parameter} '{text}' is a wildcard pattern; this command needs one dataset: namespace.project.name.");
        var parts = value.Split('.');
        foreach (var part in parts)
        {
            if (!(result.HasWildcards ? PatternPartPattern.IsMatch(part) : DatasetName.IsPart(part)))
                throw new StudioInputException("InvalidDatasetName", parameter,
                    $"-{parameter} '{text}' is not a dataset name. Use namespace.project.name (letters, digits, '_' and '-'; a personal namespace starts with '@'), a short name{(allowWildcards ? " or a wildcard pattern" : string.Empty)}.");
        }
        if (parts.Length > 3)
            throw new StudioInputException("InvalidDatasetName", parameter, $"-{parameter} '{text}' has {parts.Length} parts; use namespace.project.name.");
        if (parts.Length == 2)
            throw new StudioInputException("InvalidDatasetName", parameter, $"-{parameter} '{text}' has 2 parts; use namespace.project.name or the short name alone.");
        if (parts.Length == 3)
        {
            result.Namespace = parts[0];
            result.Project = parts[1];
            result.Name = parts[2];
        }
        else
        {
            result.Name = parts[0];
        }
        if (!DatasetName.AtOnlyOnNamespace(result.Project, result.Name))
            throw new StudioInputException("InvalidDatasetName", parameter, $"-{parameter} '{text}': only the namespace may start with '@'.");

        var head = LiteralHead(result.Name);
        result.Prefix = head.Length == 0 ? null : head;
        result._matchFullName = parts.Length == 3;
        result._match = new Regex("^" + GlobToRegex(result._matchFullName ? value : result.Name) + "$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        return result;
    }

    /// <summary>A version as given to -Version: checked before anything is sent.</summary>
    public static string CheckVersion(string? version, string parameter = "Version")
    {
        var value = version?.Trim() ?? string.Empty;
        if (!DatasetName.IsVersion(value))
            throw new StudioInputException("InvalidVersion", parameter, $"-{parameter} '{version}' is not a version like 1.0.0.");
        return value;
    }

    /// <summary>Whether a dataset the server listed is one this selector asks for.</summary>
    public bool Matches(StudioDataset dataset)
    {
        if (dataset.Name == null) return false;
        if (IsInternal(dataset.Name) && !Name.StartsWith(InternalPrefix, StringComparison.OrdinalIgnoreCase)) return false;
        var subject = _matchFullName ? dataset.FullName ?? dataset.Name : dataset.Name;
        return _match!.IsMatch(subject);
    }

    /// <summary>Datasets the official client hides: what a query saved without a name.</summary>
    public static bool IsInternal(string? name) => name != null && name.StartsWith(InternalPrefix, StringComparison.OrdinalIgnoreCase);

    private static string LiteralHead(string pattern)
    {
        var end = pattern.IndexOfAny(new[] { '*', '?', '[' });
        return end < 0 ? pattern : pattern.Substring(0, end);
    }

    private static string GlobToRegex(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*': regex.Append(".*"); break;
                case '?': regex.Append('.'); break;
                case '[':
                    var close = glob.IndexOf(']', i + 1);
                    if (close < 0) { regex.Append("\\["); break; }
                    regex.Append('[').Append(Regex.Escape(glob.Substring(i + 1, close - i - 1)).Replace("\\-", "-")).Append(']');
                    i = close;
                    break;
                default: regex.Append(Regex.Escape(c.ToString(CultureInfo.InvariantCulture))); break;
            }
        }
        return regex.ToString();
    }
}
