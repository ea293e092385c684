using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// Fetches completion data from Studio for argument completers: through the default connection
/// only, at most 2 s, cached per Studio and team, and never an exception (no suggestions instead).
/// </summary>
internal static class CompletionSource
{
    private static readonly object Gate = new object();
    private static readonly Dictionary<string, (DateTimeOffset At, IList Items)> Cache = new Dictionary<string, (DateTimeOffset, IList)>();

    /// <summary>What the user typed so far, quotes removed, as a prefix pattern.</summary>
    public static System.Management.Automation.WildcardPattern Pattern(string? wordToComplete) =>
        System.Management.Automation.WildcardPattern.Get((wordToComplete ?? string.Empty).Trim('\'', '"') + "*",
            System.Management.Automation.WildcardOptions.IgnoreCase);

    /// <summary>The values of a fixed list that fit what was typed, one completion each (statuses: nothing is asked of Studio).</summary>
    public static IEnumerable<System.Management.Automation.CompletionResult> FromValues(IEnumerable<string> values, string? wordToComplete,
        Func<string, string> tooltip)
    {
        var pattern = Pattern(wordToComplete);
        return values.Where(v => pattern.IsMatch(v))
            .Select(v => new System.Management.Automation.CompletionResult(v, v, System.Management.Automation.CompletionResultType.ParameterValue, tooltip(v)));
    }

    public static List<T> Get<T>(string kind, IDictionary? bound, TimeSpan lifetime, bool needsTeam,
        Func<StudioConnection, string?, CancellationToken, IAsyncEnumerable<T>> fetch)
    {
        try
        {
            var connection = StudioSession.Default;
            if (connection == null || connection.IsDisposed)
            {
                // As a cmdlet would: connect from DATACHAIN_STUDIO_* and the datachain config (no request yet).
                connection = StudioSession.SetDefaultIfNone(StudioConnection.Open(new StudioConnectionOptions { UserAgent = UserAgent.Current }));
            }
            var team = connection.ResolveTeam(bound?["Team"] as string);
            if (needsTeam && team == null) return new List<T>();
            var key = kind + "|" + connection.BaseUri + "|" + team;
            lock (Gate)
            {
                if (Cache.TryGetValue(key, out var hit) && DateTimeOffset.UtcNow - hit.At < lifetime) return (List<T>)hit.Items;
            }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var items = new List<T>();
            var source = fetch(connection, team, cts.Token).GetAsyncEnumerator(cts.Token);
            try
            {
                while (source.MoveNextAsync().AsTask().GetAwaiter().GetResult()) items.Add(source.Current);
            }
            finally
            {
                source.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            lock (Gate) Cache[key] = (DateTimeOffset.UtcNow, items);
            return items;
        }
        catch (Exception)
        {
            // Completion must never disturb the console.
            return new List<T>();
        }
    }
}
