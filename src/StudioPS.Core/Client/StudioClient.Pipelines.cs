using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Models;

namespace StudioPS.Client
{
    public sealed partial class StudioClient
    {
        /// <summary><c>POST datachain/pipeline/trigger</c>: starts the pipeline that rebuilds a dataset and what it depends on.</summary>
        /// <param name="input">The dataset, its version, the team, and whether to create it paused for review.</param>
        /// <param name="trace">Where the call's trace goes.</param>
        /// <param name="cancellationToken">Ends the call.</param>
        public Task<StudioPipeline> TriggerPipelineAsync(TriggerPipelineInput input, IStudioTrace trace, CancellationToken cancellationToken) =>
            PipelineActionAsync("pipeline/trigger", input, trace, cancellationToken);

        /// <summary><c>POST datachain/pipeline/pause</c>: running jobs finish, no new job starts.</summary>
        /// <param name="input">The team and the pipeline's name or id.</param>
        /// <param name="trace">Where the call's trace goes.</param>
        /// <param name="cancellationToken">Ends the call.</param>
        public Task<StudioPipeline> PausePipelineAsync(PipelineInput input, IStudioTrace trace, CancellationToken cancellationToken) =>
            PipelineActionAsync("pipeline/pause", input, trace, cancellationToken);

        /// <summary><c>POST datachain/pipeline/resume</c>: resumes a paused pipeline.</summary>
        /// <param name="input">The team and the pipeline's name or id.</param>
        /// <param name="trace">Where the call's trace goes.</param>
        /// <param name="cancellationToken">Ends the call.</param>
        public Task<StudioPipeline> ResumePipelineAsync(PipelineInput input, IStudioTrace trace, CancellationToken cancellationToken) =>
            PipelineActionAsync("pipeline/resume", input, trace, cancellationToken);

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
}
