using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>Completes cluster names from Studio (cached for a minute), showing status and workers.</summary>
public sealed class ClusterNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = CompletionSource.Pattern(wordToComplete);
        var clusters = CompletionSource.Get("clusters", fakeBoundParameters, TimeSpan.FromSeconds(60), needsTeam: false,
            (connection, team, token) => connection.Client.GetClustersAsync(team, NullTrace.Instance, token));
        return clusters.Where(c => c.Name != null && pattern.IsMatch(c.Name))
            .Select(c => new CompletionResult(TeamCompleter.Quote(c.Name!), c.Name, CompletionResultType.ParameterValue,
                $"{c.Name} — {c.Status}, {c.MaxWorkers} workers{(c.IsDefault == true ? ", default" : string.Empty)}"));
    }
}
