using System;
using System.Text.RegularExpressions;
using StudioPS.Models;

namespace StudioPS.Input;

/// <summary>
/// A dataset as users write it: <c>@namespace.project.name</c>, optionally <c>@version</c> at the
/// end, or a short name. The namespace keeps its <c>@</c>, as in the API document's example.
/// The one owner of what a dataset name and a version may hold; <see cref="DatasetSelector"/> uses these rules.
/// </summary>
internal sealed class DatasetName
{
    /// <summary>The characters of one dot-separated part of a name (a regex character-class body).</summary>
    internal const string PartCharacters = @"A-Za-z0-9_\-";

    private static readonly Regex VersionPattern = new Regex(@"^\d+(\.\d+){0,2}([-+][0-9A-Za-z.\-]+)?$", RegexOptions.CultureInvariant);
    private static readonly Regex PartPattern = new Regex("^@?[" + PartCharacters + "]+$", RegexOptions.CultureInvariant);

    /// <summary>A version as Studio writes them: <c>1.0.0</c> (one to three numbers), optionally with a <c>-pre</c> or <c>+build</c> tail.</summary>
    internal static bool IsVersion(string? text) => text != null && VersionPattern.IsMatch(text);

    /// <summary>One dot-separated part of a name: letters, digits, '_' and '-', with at most a leading '@' (a personal namespace).</summary>
    internal static bool IsPart(string part) => PartPattern.IsMatch(part);

    /// <summary>
    /// Splits a trailing <c>@version</c> off <paramref name="text"/>: an '@' at the start begins a personal
    /// namespace, the last one after it begins the version (null when there is none).
    /// </summary>
    internal static string SplitVersion(string text, out string? version)
    {
        var at = text.LastIndexOf('@');
        if (at <= 0)
        {
            version = null;
            return text;
        }
        version = text.Substring(at + 1);
        return text.Substring(0, at);
    }

    /// <summary>Only the namespace may start with '@': not the project, not the name.</summary>
    internal static bool AtOnlyOnNamespace(string? project, string name) =>
        !name.StartsWith("@", StringComparison.Ordinal) && !(project?.StartsWith("@", StringComparison.Ordinal) ?? false);

    public string? Namespace { get; private set; }
    public string? Project { get; private set; }
    public string Name { get; private set; } = string.Empty;
    public string? Version { get; private set; }

    /// <summary>Reads the text; <paramref name="version"/>, when given, wins over an @version in the text.</summary>
    public static DatasetName Parse(string? text, string? version = null)
    {
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
            throw new StudioInputException("InvalidDataset", "Dataset", "-Dataset is empty. Give @namespace.project.name, optionally with @version, or a short name.");
        var result = new DatasetName();
        value = SplitVersion(value, out var inText);
        result.Version = inText;
        if (inText != null && inText.Length == 0)
            throw new StudioInputException("InvalidDataset", "Dataset", $"-Dataset '{text}' ends with '@' but no version.");
        var parts = value.Split('.');
        foreach (var part in parts)
        {
            if (!IsPart(part))
                throw new StudioInputException("InvalidDataset", "Dataset",
                    $"-Dataset '{text}' is not a dataset name. Use @namespace.project.name (letters, digits, '_' and '-'), optionally with @version.");
        }
        if (parts.Length > 3)
            throw new StudioInputException("InvalidDataset", "Dataset", $"-Dataset '{text}' has {parts.Length} parts; use @namespace.project.name.");
        if (parts.Length == 3)
        {
            result.Namespace = parts[0];
            result.Project = parts[1];
            result.Name = parts[2];
        }
        else if (parts.Length == 2)
        {
            result.Project = parts[0];
            result.Name = parts[1];
        }
        else
        {
            result.Name = parts[0];
        }
        if (!AtOnlyOnNamespace(result.Project, result.Name))
            throw new StudioInputException("InvalidDataset", "Dataset", $"-Dataset '{text}': only the namespace may start with '@'.");
        if (!string.IsNullOrWhiteSpace(version)) result.Version = version!.Trim();
        if (result.Version != null && !IsVersion(result.Version))
            throw new StudioInputException("InvalidVersion", string.IsNullOrWhiteSpace(version) ? "Dataset" : "Version",
                $"Version '{result.Version}' is not a version like 1.0.0.");
        return result;
    }

    public TriggerPipelineInput ToTrigger(string team, bool review) => new TriggerPipelineInput
    {
        NamespaceName = Namespace,
        ProjectName = Project,
        DatasetName = Name,
        Version = Version,
        TeamName = team,
        Review = review,
    };

    /// <summary>The name as the official client's trigger body lists it: <c>@namespace.project.name[@version]</c> or a short name.</summary>
    public string ToOfficialName() =>
        (Namespace == null ? string.Empty : (Namespace.StartsWith("@", StringComparison.Ordinal) ? Namespace : "@" + Namespace) + ".")
        + (Project == null ? string.Empty : Project + ".") + Name + (Version == null ? string.Empty : "@" + Version);

    public override string ToString() =>
        (Namespace == null ? string.Empty : Namespace + ".") + (Project == null ? string.Empty : Project + ".") + Name + (Version == null ? string.Empty : "@" + Version);
}
