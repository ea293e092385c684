using System;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>
/// Reads an archived blob (a presigned URL a server named, such as a job's archived log) without
/// the Authorization header: only https, or Studio's own origin, is fetched; the read is bounded
/// by a time-out and a size cap; no redirect is followed; loopback is reached without a proxy.
/// </summary>
internal static class BlobReader
{
    public const int MaxBytes = 64 * 1024 * 1024;

    private static readonly Lazy<HttpClient> ProxiedClient = new Lazy<HttpClient>(() => Create(useProxy: true));
    private static readonly Lazy<HttpClient> DirectClient = new Lazy<HttpClient>(() => Create(useProxy: false));

    /// <summary>Refuses any scheme but https (and Studio's own origin), with a clear error; the query (a credential) is never named.</summary>
    public static void CheckScheme(Uri uri, Uri studioOrigin, string what)
    {
        if (uri.Scheme == Uri.UriSchemeHttps || StudioOrigin.Same(uri, studioOrigin)) return;
        throw new StudioApiException(StudioErrorKind.InvalidResponse, string.Format(CultureInfo.InvariantCulture,
            "Studio named {0} at a '{1}' URL ({2}://{3}); only https (or Studio's own address) is read, so it was refused.",
            what, uri.Scheme, uri.Scheme, uri.IsAbsoluteUri ? uri.Host : string.Empty), null, null, "GET", uri.IsAbsoluteUri ? uri.AbsolutePath : string.Empty);
    }

    public static async Task<string> ReadTextAsync(Uri uri, Uri studioOrigin, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        CheckScheme(uri, studioOrigin, what);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan) linked.CancelAfter(timeout);
        var client = StudioOrigin.IsLoopback(uri) ? DirectClient.Value : ProxiedClient.Value;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException(string.Format(CultureInfo.InvariantCulture, "{0} {1}", (int)response.StatusCode, response.ReasonPhrase));
            await HttpBodies.BufferAsync(response, MaxBytes, linked.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return Encoding.UTF8.GetString(bytes);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Format(CultureInfo.InvariantCulture, "No complete answer within {0:0.###} s.", timeout.TotalSeconds));
        }
    }

    private static HttpClient Create(bool useProxy) =>
        new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = useProxy }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
