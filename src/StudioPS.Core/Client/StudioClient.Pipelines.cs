using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Models;

namespace StudioPS.Client;

public sealed partial class StudioClient
{
    /// <summary><c>POST datachain/pipeline/trigger</c>: starts the pipeline that rebuilds a dataset and what it depends on.</summary>
    /// <param name="input">The dataset, its version, the team, and whether to create it paused for review.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public Task<StudioPipeline> TriggerPipelineAsync(TriggerPipelineInput input, IStudioTrace trace, CancellationToken cancellationToken) =>
        PipelineActionAsync("pipeline/trigger", input, trace, cancellationToken);

    // Set once a server refused the document's trigger body: this connection then sends the official form.
    private volatile bool _officialTriggerForm;

    /// <summary>True once this connection has learned that its server wants the official trigger body.</summary>
    internal bool UsesOfficialTriggerForm => _officialTriggerForm;

    /// <summary>
    /// Triggers one pipeline. Several datasets go in the official client's body; one dataset goes in the
    /// document's body (<paramref name="document"/>), and when the server rejects that body (400 or 422,
    /// so it did nothing) the official form is sent once instead and used from then on for this connection.
    /// </summary>
    /// <param name="official">The official client's body: every dataset, review, team.</param>
    /// <param name="document">The document's body for one dataset; null for several.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public async Task<StudioPipeline> TriggerPipelineAsync(TriggerPipelinesInput official, TriggerPipelineInput? document,
        IStudioTrace trace, CancellationToken cancellationToken)
    {
        if (document == null || _officialTriggerForm)
            return await PipelineActionAsync("pipeline/trigger", official, trace, cancellationToken).ConfigureAwait(false);
        try
        {
            return await PipelineActionAsync("pipeline/trigger", document, trace, cancellationToken).ConfigureAwait(false);
        }
        catch (StudioApiException rejected) when (rejected.StatusCode == System.Net.HttpStatusCode.BadRequest || (int?)rejected.StatusCode == 422)
        {
            if (trace.VerboseEnabled)
                trace.Verbose($"Studio rejected the documented trigger body ({(int)rejected.StatusCode!}: {rejected.ServerMessage ?? rejected.Message}); sending the official client's {{\"datasets\": [...]}} form.");
            var answer = await PipelineActionAsync("pipeline/trigger", official, trace, cancellationToken).ConfigureAwait(false);
            _officialTriggerForm = true;
            return answer;
        }
    }

    /// <summary><c>POST datachain/pipeline/pause</c>: any 2xx is success; the pipeline when the reply holds it, else null.</summary>
    /// <param name="input">The team and the pipeline's name or id.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public Task<StudioPipeline?> PausePipelineAsync(PipelineInput input, IStudioTrace trace, CancellationToken cancellationToken) =>
        PipelineStateAsync("pipeline/pause", input, trace, cancellationToken);

    /// <summary><c>POST datachain/pipeline/resume</c>: any 2xx is success; the pipeline when the reply holds it, else null.</summary>
    /// <param name="input">The team and the pipeline's name or id.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public Task<StudioPipeline?> ResumePipelineAsync(PipelineInput input, IStudioTrace trace, CancellationToken cancellationToken) =>
        PipelineStateAsync("pipeline/resume", input, trace, cancellationToken);

    private async Task<StudioPipeline?> PipelineStateAsync(string path, PipelineInput input, IStudioTrace trace, CancellationToken cancellationToken)
    {
        var output = await PostActionAsync<PipelineOutput>("datachain/" + path, input, trace, cancellationToken).ConfigureAwait(false);
        if (output?.Ok == false)
            throw new StudioApiException(StudioErrorKind.OperationFailed,
                $"Studio did not carry out {path}: {output.Message ?? output.Error ?? "it answered ok: false without a reason"}",
                System.Net.HttpStatusCode.OK, output.Message ?? output.Error, "POST", "/api/datachain/" + path);
        return output?.Pipeline;
    }

    /// <summary><c>POST datachain/pipeline/remove-job</c>: drops a PENDING job from a PAUSED pipeline.</summary>
    /// <param name="input">The team, the pipeline's name or id, and the job's id.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public Task<StudioPipeline> RemovePipelineJobAsync(PipelineInput input, IStudioTrace trace, CancellationToken cancellationToken) =>
        PipelineActionAsync("pipeline/remove-job", input, trace, cancellationToken);

    /// <summary><c>GET pipeline/status</c>: one pipeline by name and/or id.</summary>
    /// <param name="team">The pipeline's team.</param>
    /// <param name="name">The pipeline's name, or null.</param>
    /// <param name="id">The pipeline's id, or null.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public Task<StudioPipeline> GetPipelineAsync(string team, string? name, string? id, IStudioTrace trace, CancellationToken cancellationToken) =>
        GetObjectAsync<StudioPipeline>("datachain/pipeline/status", Query(("team_name", team), ("name", name), ("pipeline_id", id)), trace, cancellationToken);

    /// <summary><c>GET pipeline/list</c> with the official client's query parameters, streamed as they are read.</summary>
    /// <param name="team">The team whose pipelines are listed.</param>
    /// <param name="statuses">Only pipelines in these statuses; null for all.</param>
    /// <param name="limit">At most this many; null for the server's default.</param>
    /// <param name="search">Text the server matches against names and datasets; null for none.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public IAsyncEnumerable<StudioPipeline> ListPipelinesAsync(string team, IEnumerable<string>? statuses, int? limit, string? search,
        IStudioTrace trace, CancellationToken cancellationToken)
    {
        var query = Query(("team_name", team));
        foreach (var status in statuses ?? Enumerable.Empty<string>())
            query.Add(new KeyValuePair<string, string?>("status", status.ToUpperInvariant()));
        if (limit.HasValue) query.Add(new KeyValuePair<string, string?>("limit", limit.Value.ToString(CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(search)) query.Add(new KeyValuePair<string, string?>("search", search));
        return GetListAsync<StudioPipeline>("datachain/pipeline/list", query, "pipelines", trace, cancellationToken);
    }

    /// <summary>The <c>{ok, pipeline}</c> actions: the pipeline on success, an error for <c>ok: false</c>.</summary>
    private async Task<StudioPipeline> PipelineActionAsync(string path, object body, IStudioTrace trace, CancellationToken cancellationToken)
    {
        var output = await PostJsonAsync<PipelineOutput>("datachain/" + path, body, trace, cancellationToken).ConfigureAwait(false);
        if (output.Ok == false)
            throw new StudioApiException(StudioErrorKind.OperationFailed,
                $"Studio did not carry out {path}: {output.Message ?? output.Error ?? "it answered ok: false without a reason"}",
                System.Net.HttpStatusCode.OK, output.Message ?? output.Error, "POST", "/api/datachain/" + path);
        return output.Pipeline ?? throw new StudioApiException(StudioErrorKind.InvalidResponse,
            $"Studio answered {path} without the pipeline.", null, null, "POST", "/api/datachain/" + path);
    }
}
