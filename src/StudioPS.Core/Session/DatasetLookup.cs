using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Models;

namespace StudioPS.Session;

/// <summary>Finds the datasets a <see cref="DatasetSelector"/> names: by info for a full name, else by a prefixed list filtered here.</summary>
internal static class DatasetLookup
{
    /// <summary>Every dataset the selector matches; a full or short name (no wildcards) that matches none is NotFound.</summary>
    public static async IAsyncEnumerable<StudioDataset> FindAsync(StudioClient client, string team, DatasetSelector selector, bool includeRemoved,
        IStudioTrace trace, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (selector.IsExact)
        {
            yield return await InfoAsync(client, team, selector, includeRemoved, trace, cancellationToken).ConfigureAwait(false);
            yield break;
        }
        var found = false;
        await foreach (var dataset in client.ListDatasetsAsync(team, selector.Prefix, includeRemoved, trace, cancellationToken).ConfigureAwait(false))
        {
            if (!selector.Matches(dataset)) continue;
            found = true;
            yield return dataset;
        }
        if (!found && !selector.HasWildcards) throw NotFound(team, selector.Text);
    }

    /// <summary>The one dataset a name stands for: a full name is read by info; a short name must match exactly one dataset.</summary>
    public static async Task<StudioDataset> ResolveOneAsync(StudioClient client, string team, DatasetSelector selector, bool includeRemoved,
        IStudioTrace trace, CancellationToken cancellationToken)
    {
        if (selector.IsExact) return await InfoAsync(client, team, selector, includeRemoved, trace, cancellationToken).ConfigureAwait(false);
        var matches = new List<StudioDataset>();
        await foreach (var dataset in FindAsync(client, team, selector, includeRemoved, trace, cancellationToken).ConfigureAwait(false))
            matches.Add(dataset);
        if (matches.Count == 1) return matches[0];
        throw new StudioInputException("AmbiguousDatasetName", "Name",
            $"'{selector.Text}' names {matches.Count} datasets in team '{team}' ({string.Join(", ", matches.Select(d => d.FullName).Take(5))}{(matches.Count > 5 ? ", ..." : string.Empty)}). Give the full name namespace.project.name.");
    }

    /// <summary>The version asked for; an error naming the versions there are when it is not one of them.</summary>
    public static StudioDatasetVersion RequireVersion(StudioDataset dataset, string version)
    {
        var match = dataset.Versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
        if (match != null) return match;
        var known = dataset.Versions.Length == 0 ? "it has no versions" : "it has " + string.Join(", ", dataset.Versions.Select(v => v.Version));
        throw new StudioApiException(StudioErrorKind.NotFound, $"Dataset {dataset.FullName} has no version {version}; {known}.",
            HttpStatusCode.NotFound, null, "GET", "/api/datachain/datasets/info");
    }

    private static async Task<StudioDataset> InfoAsync(StudioClient client, string team, DatasetSelector selector, bool includeRemoved,
        IStudioTrace trace, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetDatasetAsync(team, selector.Namespace!, selector.Project!, selector.Name, includeRemoved, trace, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StudioApiException error) when (error.Kind == StudioErrorKind.NotFound)
        {
            throw new StudioApiException(StudioErrorKind.NotFound, $"No dataset {selector.FullName} in team '{team}'{(string.IsNullOrEmpty(error.ServerMessage) ? "" : " (Studio: " + error.ServerMessage + ")")}. Get-StudioDataset lists the datasets there are.",
                error.StatusCode, error.ServerMessage, error.Method, error.Path, false, null, error);
        }
    }

    private static StudioApiException NotFound(string team, string name) =>
        new StudioApiException(StudioErrorKind.NotFound, $"No dataset named '{name}' in team '{team}'. Get-StudioDataset lists the datasets there are.",
            HttpStatusCode.NotFound, null, "GET", "/api/datachain/datasets");
}
