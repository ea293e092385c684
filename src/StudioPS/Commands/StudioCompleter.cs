using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// The one shape of a completer fed by Studio: a list asked of the default connection through
/// <see cref="CompletionSource"/> (at most 2 s, cached per kind, Studio and team, never an error),
/// then the items that fit what was typed, one completion each. A completer names its cache key,
/// the list's lifetime, the query and how an item is offered.
/// </summary>
public abstract class StudioCompleter<T> : IArgumentCompleter
{
    private readonly string _cacheKey;
    private readonly TimeSpan _lifetime;
    private readonly bool _needsTeam;

    private protected StudioCompleter(string cacheKey, TimeSpan lifetime, bool needsTeam = true)
    {
        _cacheKey = cacheKey;
        _lifetime = lifetime;
        _needsTeam = needsTeam;
    }

    /// <summary>Called by PowerShell's tab completion.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Offer(CompletionSource.Get(_cacheKey, fakeBoundParameters, _lifetime, _needsTeam, Fetch), wordToComplete);

    /// <summary>The query: the items to complete from (the team is null only where no team is needed).</summary>
    private protected abstract IAsyncEnumerable<T> Fetch(StudioConnection connection, string? team, CancellationToken cancellationToken);

    /// <summary>The completions for what was typed so far (quotes included, as PowerShell passes it).</summary>
    private protected abstract IEnumerable<CompletionResult> Offer(List<T> items, string? wordToComplete);
}
