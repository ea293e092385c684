using System.Management.Automation;
using StudioPS.Input;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>What the dataset cmdlets share, as helpers they call: naming one dataset, its version, -WhatIf.</summary>
internal static class DatasetCommands
{
    /// <summary>-Name as one text: a short name with -Namespace and -Project becomes namespace.project.name.</summary>
    public static string? Qualify(string? name, string? @namespace, string? project)
    {
        if (@namespace == null && project == null) return name;
        if (@namespace == null || project == null)
            throw new StudioInputException("InvalidDatasetName", @namespace == null ? "Namespace" : "Project",
                "Give -Namespace and -Project together (or neither), or the full name namespace.project.name to -Name.");
        if (name == null || name.IndexOf('.') >= 0) return name;
        return @namespace + "." + project + "." + name;
    }

    /// <summary>The dataset the selector names, read from Studio.</summary>
    public static StudioDataset ResolveOne(StudioCmdlet cmdlet, StudioConnection connection, string team, DatasetSelector selector) =>
        cmdlet.Run(token => DatasetLookup.ResolveOneAsync(connection.Client, team, selector, false, cmdlet, token));

    /// <summary>The version from -Version or from name@version; both given must agree.</summary>
    public static string? VersionOf(DatasetSelector selector, string? versionParameter)
    {
        var version = versionParameter == null ? null : DatasetSelector.CheckVersion(versionParameter);
        if (version != null && selector.Version != null && version != selector.Version)
            throw new StudioInputException("ConflictingVersion", "Version",
                $"-Name '{selector.Text}' names version {selector.Version} but -Version is {version}; give one of them.");
        return version ?? selector.Version;
    }

    /// <summary>-WhatIf given or preferred: -Force must not turn a what-if into the real thing.</summary>
    public static bool WhatIfRequested(PSCmdlet cmdlet)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)) return bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound);
        return LanguagePrimitives.IsTrue(cmdlet.GetVariableValue("WhatIfPreference"));
    }
}
