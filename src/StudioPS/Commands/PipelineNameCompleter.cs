using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>Completes pipeline names from the team's recent pipelines (cached 30 s).</summary>
public sealed class PipelineNameCompleter : StudioCompleter<StudioPipeline>
{
    public PipelineNameCompleter()
        : base("pipelines", TimeSpan.FromSeconds(30))
    {
    }

    private protected override IAsyncEnumerable<StudioPipeline> Fetch(StudioConnection connection, string? team, CancellationToken cancellationToken) =>
        connection.Client.ListPipelinesAsync(team!, null, 30, null, NullTrace.Instance, cancellationToken);

    private protected override IEnumerable<CompletionResult> Offer(List<StudioPipeline> pipelines, string? wordToComplete)
    {
        var pattern = CompletionSource.Pattern(wordToComplete);
        return pipelines.Where(p => p.Name != null && pattern.IsMatch(p.Name))
            .Select(p => new CompletionResult(TeamCompleter.Quote(p.Name!), p.Name, CompletionResultType.ParameterValue,
                $"{p.Name} — {p.Status} {p.Completed}/{p.Total} — {p.TriggeredFrom}"));
    }
}
