using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using StudioPS.Client;
using StudioPS.Waiting;

namespace StudioPS.Commands;

/// <summary>
/// Completes Stop-StudioJob -Id with the team's jobs that a cancel can still change (queued, running,
/// scheduled, a cron TASK), asked of Studio by status (cached 30 s): a finished job is never offered.
/// </summary>
public sealed class StoppableJobIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var jobs = CompletionSource.Get("stoppable-jobs", fakeBoundParameters, TimeSpan.FromSeconds(30), needsTeam: true,
            (connection, team, token) => connection.Client.ListJobsAsync(team!, JobGuidance.StoppableStatuses, null, 30, false, NullTrace.Instance, token));
        // The server filters by status; the check here also holds against one that ignores the filter.
        return jobs.Where(j => j.Id != null && JobGuidance.CanStop(j.Status) && j.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(j => new CompletionResult(j.Id!, $"{j.Id} {j.Name} {j.Status}".TrimEnd(), CompletionResultType.ParameterValue,
                $"{j.Name ?? "(no name)"} — {j.Status} — created {j.CreatedAt:u}"));
    }
}
