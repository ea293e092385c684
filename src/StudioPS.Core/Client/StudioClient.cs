using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Http;
using StudioPS.Models;

namespace StudioPS.Client;

/// <summary>
/// One method per Studio endpoint, over the connection's shared HttpClient (get it from
/// <see cref="StudioPS.Session.StudioConnection.Client"/>). Every failure surfaces as a
/// <see cref="StudioApiException"/>, bad input as a <see cref="StudioPS.Input.StudioInputException"/>,
/// cancellation as an <see cref="OperationCanceledException"/>. Each method takes an
/// <see cref="IStudioTrace"/> for its trace (<see cref="StudioTrace.None"/> for none) and a
/// cancellation token that ends the call at once. Thread-safe.
/// </summary>
public sealed partial class StudioClient
{
    private readonly HttpClient _http;
    private readonly Redactor _redactor;

    internal StudioClient(HttpClient http, Uri apiBase, Redactor redactor, TimeSpan? bodyIdleTimeout = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        ApiBase = EnsureTrailingSlash(apiBase ?? throw new ArgumentNullException(nameof(apiBase)));
        _redactor = redactor ?? Redactor.None;
        BodyIdleTimeout = bodyIdleTimeout ?? TimeSpan.FromSeconds(100);
    }

    /// <summary>How long a streamed body may stay silent before the read fails as a time-out.</summary>
    internal TimeSpan BodyIdleTimeout { get; }

    /// <summary>The API root, e.g. <c>https://studio.datachain.ai/api/</c>.</summary>
    public Uri ApiBase { get; }

    internal Redactor Redactor => _redactor;

    private static Uri EnsureTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");

    internal Uri BuildUri(string relativePath, IEnumerable<KeyValuePair<string, string?>>? query)
    {
        var builder = new StringBuilder(ApiBase.AbsoluteUri).Append(relativePath.TrimStart('/'));
        var separator = relativePath.IndexOf('?') >= 0 ? '&' : '?';
        if (query != null)
        {
            foreach (var pair in query)
            {
                if (pair.Value == null) continue;
                builder.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
                separator = '&';
            }
        }
        return new Uri(builder.ToString());
    }

    /// <summary>Sends one request through the handler chain; returns only a successful response.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativePath,
        IEnumerable<KeyValuePair<string, string?>>? query, HttpContent? content, RequestPolicy policy,
        IStudioTrace trace, CancellationToken cancellationToken)
    {
        var uri = BuildUri(relativePath, query);
        return await SendAsync(method, uri, content, policy, trace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one request to an absolute URI through the handler chain; returns only a successful response.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, HttpContent? content, RequestPolicy policy,
        IStudioTrace trace, CancellationToken cancellationToken)
    {
        var path = uri.AbsolutePath;
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        RequestProperties.Set(request, trace, policy);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request,
                policy.BufferResponse ? HttpCompletionOption.ResponseContentRead : HttpCompletionOption.ResponseHeadersRead,
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error) when (!(error is StudioApiException))
        {
            throw ErrorMapper.FromException(error, method.Method, path, uri.Authority, _redactor);
        }

        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw await ErrorMapper.FromResponseAsync(response, method.Method, path, _redactor, cancellationToken).ConfigureAwait(false);
        }
    }

    internal async IAsyncEnumerable<T> GetListAsync<T>(string relativePath, IEnumerable<KeyValuePair<string, string?>>? query,
        string wrapperName, IStudioTrace trace, [EnumeratorCancellation] CancellationToken cancellationToken) where T : class
    {
        var policy = new RequestPolicy { BufferResponse = false };
        using var response = await SendAsync(HttpMethod.Get, relativePath, query, null, policy, trace, cancellationToken).ConfigureAwait(false);
        EnsureNotHtml(response, "GET", response.RequestMessage?.RequestUri?.AbsolutePath ?? relativePath);
        // A stalled body must not hang a read forever: each read of it gets the request time-out.
        using var body = new IdleTimeoutStream(await response.Content.ReadAsStreamAsync().ConfigureAwait(false), BodyIdleTimeout);
        await foreach (var item in JsonBodies.ReadListAsync<T>(body, wrapperName, "GET", PathOf(relativePath), cancellationToken).ConfigureAwait(false))
            yield return item;
    }

    internal async Task<T> GetObjectAsync<T>(string relativePath, IEnumerable<KeyValuePair<string, string?>>? query,
        IStudioTrace trace, CancellationToken cancellationToken) where T : class
    {
        using var response = await SendAsync(HttpMethod.Get, relativePath, query, null, new RequestPolicy(), trace, cancellationToken).ConfigureAwait(false);
        return await ReadObjectAsync<T>(response, "GET", relativePath).ConfigureAwait(false);
    }

    internal async Task<T> PostJsonAsync<T>(string relativePath, object body, IStudioTrace trace, CancellationToken cancellationToken) where T : class
    {
        using var response = await SendAsync(HttpMethod.Post, relativePath, null, JsonContent(body), new RequestPolicy(), trace, cancellationToken).ConfigureAwait(false);
        return await ReadObjectAsync<T>(response, "POST", relativePath).ConfigureAwait(false);
    }

    internal static ByteArrayContent JsonContent(object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), StudioJson.RequestOptions));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static async Task<T> ReadObjectAsync<T>(HttpResponseMessage response, string method, string relativePath) where T : class
    {
        EnsureNotHtml(response, method, PathOf(relativePath));
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return JsonBodies.ReadObject<T>(bytes, method, PathOf(relativePath));
    }

    private static void EnsureNotHtml(HttpResponseMessage response, string method, string path)
    {
        var media = response.Content.Headers.ContentType?.MediaType;
        if (media != null && media.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
            throw new StudioApiException(StudioErrorKind.InvalidResponse,
                $"The response to {method} {path} is an HTML page, not JSON: is -BaseUri the Studio address?",
                response.StatusCode, null, method, path);
    }

    private static string PathOf(string relativePath)
    {
        var q = relativePath.IndexOf('?');
        return "/api/" + (q >= 0 ? relativePath.Substring(0, q) : relativePath).TrimStart('/');
    }

    internal static List<KeyValuePair<string, string?>> Query(params (string Key, string? Value)[] pairs) =>
        pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)).ToList();

    // ---- Endpoints ----

    /// <summary><c>GET datachain/clusters/</c>: the compute clusters, streamed as they are read; with the team when one is known (the official client always sends it).</summary>
    /// <param name="team">The team, or null when none is known.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public IAsyncEnumerable<StudioCluster> GetClustersAsync(string? team, IStudioTrace trace, CancellationToken cancellationToken) =>
        GetListAsync<StudioCluster>("datachain/clusters/", Query(("team_name", team)), "clusters", trace, cancellationToken);

    /// <summary>
    /// One cheap authenticated read that proves the token works and, with a team, that the
    /// token may use that team: the job list limited to one entry.
    /// </summary>
    /// <param name="team">The team to check access to, or null to check the token alone.</param>
    /// <param name="trace">Where the call's trace goes.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    public async Task ValidateAsync(string? team, IStudioTrace trace, CancellationToken cancellationToken)
    {
        var path = team == null ? "datachain/clusters/" : "datachain/jobs/";
        var query = team == null ? null : Query(("team_name", team), ("limit", "1"));
        using var response = await SendAsync(HttpMethod.Get, path, query, null, new RequestPolicy(), trace, cancellationToken).ConfigureAwait(false);
    }
}
