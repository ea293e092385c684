using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>Completes job statuses from the known list; any other value is still accepted and sent.</summary>
public sealed class JobStatusCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionSource.FromValues(StudioJob.KnownStatuses, wordToComplete, s => s + (StudioJob.IsTerminalStatus(s) ? " (final)" : string.Empty));
}
