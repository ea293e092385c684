using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>Completes job ids from the team's 30 most recent jobs (cached 30 s), with name and status in the tooltip.</summary>
public class JobIdCompleter : StudioCompleter<StudioJob>
{
    private readonly IReadOnlyList<string>? _statuses;

    public JobIdCompleter()
        : this("jobs", null)
    {
    }

    /// <summary>A job-id completer asking Studio only for jobs in <paramref name="statuses"/>.</summary>
    private protected JobIdCompleter(string cacheKey, IReadOnlyList<string>? statuses)
        : base(cacheKey, TimeSpan.FromSeconds(30))
    {
        _statuses = statuses;
    }

    private protected override IAsyncEnumerable<StudioJob> Fetch(StudioConnection connection, string? team, CancellationToken cancellationToken) =>
        connection.Client.ListJobsAsync(team!, _statuses, null, 30, false, NullTrace.Instance, cancellationToken);

    /// <summary>True for a job worth offering; all by default.</summary>
    private protected virtual bool Offers(StudioJob job) => true;

    private protected override IEnumerable<CompletionResult> Offer(List<StudioJob> jobs, string? wordToComplete)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return jobs.Where(j => j.Id != null && Offers(j) && j.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(j => new CompletionResult(j.Id!, $"{j.Id} {j.Name} {j.Status}".TrimEnd(), CompletionResultType.ParameterValue,
                $"{j.Name ?? "(no name)"} — {j.Status} — created {j.CreatedAt:u}"));
    }
}
