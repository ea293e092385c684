using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>Completes cluster names from Studio (cached for a minute), showing status and workers.</summary>
public sealed class ClusterNameCompleter : StudioCompleter<StudioCluster>
{
    public ClusterNameCompleter()
        : base("clusters", TimeSpan.FromSeconds(60), needsTeam: false)
    {
    }

    private protected override IAsyncEnumerable<StudioCluster> Fetch(StudioConnection connection, string? team, CancellationToken cancellationToken) =>
        connection.Client.GetClustersAsync(team, NullTrace.Instance, cancellationToken);

    private protected override IEnumerable<CompletionResult> Offer(List<StudioCluster> clusters, string? wordToComplete)
    {
        var pattern = CompletionSource.Pattern(wordToComplete);
        return clusters.Where(c => c.Name != null && pattern.IsMatch(c.Name))
            .Select(c => new CompletionResult(TeamCompleter.Quote(c.Name!), c.Name, CompletionResultType.ParameterValue,
                $"{c.Name} — {c.Status}, {c.MaxWorkers} workers{(c.IsDefault == true ? ", default" : string.Empty)}"));
    }
}
