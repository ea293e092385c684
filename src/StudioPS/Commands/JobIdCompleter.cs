using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using StudioPS.Client;

namespace StudioPS.Commands;

/// <summary>Completes job ids from the team's 30 most recent jobs (cached 30 s), with name and status in the tooltip.</summary>
public sealed class JobIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var jobs = CompletionSource.Get("jobs", fakeBoundParameters, TimeSpan.FromSeconds(30), needsTeam: true,
            (connection, team, token) => connection.Client.ListJobsAsync(team!, null, null, 30, false, NullTrace.Instance, token));
        return jobs.Where(j => j.Id != null && j.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(j => new CompletionResult(j.Id!, $"{j.Id} {j.Name} {j.Status}".TrimEnd(), CompletionResultType.ParameterValue,
                $"{j.Name ?? "(no name)"} — {j.Status} — created {j.CreatedAt:u}"));
    }
}
