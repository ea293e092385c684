using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using StudioPS.Client;
using StudioPS.Input;

namespace StudioPS.Commands;

/// <summary>Completes dataset names (full namespace.project.name) from Studio, cached for a minute, showing the latest version.</summary>
public sealed class DatasetNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = CompletionSource.Pattern(wordToComplete);
        var datasets = CompletionSource.Get("datasets", fakeBoundParameters, TimeSpan.FromSeconds(60), needsTeam: true,
            (connection, team, token) => connection.Client.ListDatasetsAsync(team!, null, false, NullTrace.Instance, token));
        return datasets.Where(d => d.FullName != null && !DatasetSelector.IsInternal(d.Name)
                                   && (pattern.IsMatch(d.FullName) || (d.Name != null && pattern.IsMatch(d.Name))))
            .OrderBy(d => d.FullName, StringComparer.OrdinalIgnoreCase)
            .Select(d => new CompletionResult(TeamCompleter.Quote(d.FullName!), d.FullName, CompletionResultType.ParameterValue,
                $"{d.FullName} — {(d.LatestVersion == null ? "no versions" : "latest " + d.LatestVersion.Version + " " + d.LatestVersion.Status)}"));
    }
}
