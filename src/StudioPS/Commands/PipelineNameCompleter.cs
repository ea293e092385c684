using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using StudioPS.Client;

namespace StudioPS.Commands;

/// <summary>Completes pipeline names from the team's recent pipelines (cached 30 s).</summary>
public sealed class PipelineNameCompleter : IArgumentCompleter
{
    /// <summary>Called by PowerShell's tab completion.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = CompletionSource.Pattern(wordToComplete);
        var pipelines = CompletionSource.Get("pipelines", fakeBoundParameters, TimeSpan.FromSeconds(30), needsTeam: true,
            (connection, team, token) => connection.Client.ListPipelinesAsync(team!, null, 30, null, NullTrace.Instance, token));
        return pipelines.Where(p => p.Name != null && pattern.IsMatch(p.Name))
            .Select(p => new CompletionResult(TeamCompleter.Quote(p.Name!), p.Name, CompletionResultType.ParameterValue,
                $"{p.Name} — {p.Status} {p.Completed}/{p.Total} — {p.TriggeredFrom}"));
    }
}
