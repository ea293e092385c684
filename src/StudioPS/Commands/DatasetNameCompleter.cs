using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>Completes dataset names (full namespace.project.name) from Studio, cached for a minute, showing the latest version.</summary>
public sealed class DatasetNameCompleter : StudioCompleter<StudioDataset>
{
    public DatasetNameCompleter()
        : base("datasets", TimeSpan.FromSeconds(60))
    {
    }

    private protected override IAsyncEnumerable<StudioDataset> Fetch(StudioConnection connection, string? team, CancellationToken cancellationToken) =>
        connection.Client.ListDatasetsAsync(team!, null, false, NullTrace.Instance, cancellationToken);

    private protected override IEnumerable<CompletionResult> Offer(List<StudioDataset> datasets, string? wordToComplete)
    {
        var pattern = CompletionSource.Pattern(wordToComplete);
        return datasets.Where(d => d.FullName != null && !DatasetSelector.IsInternal(d.Name)
                                   && (pattern.IsMatch(d.FullName) || (d.Name != null && pattern.IsMatch(d.Name))))
            .OrderBy(d => d.FullName, StringComparer.OrdinalIgnoreCase)
            .Select(d => new CompletionResult(TeamCompleter.Quote(d.FullName!), d.FullName, CompletionResultType.ParameterValue,
                $"{d.FullName} — {(d.LatestVersion == null ? "no versions" : "latest " + d.LatestVersion.Version + " " + d.LatestVersion.Status)}"));
    }
}
