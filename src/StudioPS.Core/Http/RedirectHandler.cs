using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>
/// Follows redirects itself (the network handler's own following is off), so the auth handler
/// below sees every hop: a same-origin redirect keeps the token, one elsewhere goes without it.
/// Each hop is a new request, so the retry handler above always starts again from Studio's URL.
/// Only http and https targets are followed; 303 (and 301/302 after a POST) become a GET.
/// </summary>
internal sealed class RedirectHandler : DelegatingHandler
{
    public const int MaxRedirects = 5;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = request;
        for (var hop = 0; ; hop++)
        {
            var response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
            var target = Target(response, current);
            if (target == null || hop >= MaxRedirects) return response;
            var next = Next(current, response.StatusCode, target);
            response.Dispose();
            current = next;
        }
    }

    private static Uri? Target(HttpResponseMessage response, HttpRequestMessage request)
    {
        var code = (int)response.StatusCode;
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) return null;
        var location = response.Headers.Location;
        if (location == null || request.RequestUri == null) return null;
        var target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri, location);
        return target.Scheme == Uri.UriSchemeHttps || target.Scheme == Uri.UriSchemeHttp ? target : null;
    }

    private static HttpRequestMessage Next(HttpRequestMessage from, HttpStatusCode status, Uri target)
    {
        var code = (int)status;
        var toGet = code == 303 || ((code == 301 || code == 302) && from.Method == HttpMethod.Post);
        var next = new HttpRequestMessage(toGet ? HttpMethod.Get : from.Method, target)
        {
            Version = from.Version,
            Content = toGet ? null : from.Content,
        };
        foreach (var header in from.Headers)
        {
            if (string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase)) continue;
            next.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
#pragma warning disable CS0618 // Properties is the netstandard2.0 way; newer runtimes map it to Options.
        foreach (var property in from.Properties) next.Properties[property.Key] = property.Value;
#pragma warning restore CS0618
        return next;
    }
}
