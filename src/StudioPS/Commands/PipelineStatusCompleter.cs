using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>Completes pipeline statuses; any other value is still accepted.</summary>
public sealed class PipelineStatusCompleter : IArgumentCompleter
{
    /// <summary>Called by PowerShell's tab completion.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = CompletionSource.Pattern(wordToComplete);
        return StudioPipeline.KnownStatuses.Where(s => pattern.IsMatch(s)).Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, s));
    }
}
