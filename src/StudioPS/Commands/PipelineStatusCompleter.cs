using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>Completes pipeline statuses; any other value is still accepted.</summary>
public sealed class PipelineStatusCompleter : IArgumentCompleter
{
    /// <summary>Called by PowerShell's tab completion.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionSource.FromValues(StudioPipeline.KnownStatuses, wordToComplete, s => s);
}
