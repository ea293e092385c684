using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>
/// Adds the Authorization header when, and only when, the request goes to Studio's own origin
/// (scheme, host, port), and removes it otherwise. It runs on every attempt and every redirect
/// hop, so a request that a redirect or a retry points elsewhere never carries the token.
/// The token is read from its protected store per request.
/// </summary>
internal sealed class AuthHandler : DelegatingHandler
{
    private readonly string _scheme;
    private readonly Func<string> _token;
    private readonly Uri? _origin;

    /// <param name="scheme">Bearer or token.</param>
    /// <param name="token">Reads the token when a header is made.</param>
    /// <param name="origin">Studio's origin; null sends the token nowhere.</param>
    public AuthHandler(string scheme, Func<string> token, Uri? origin)
    {
        _scheme = scheme;
        _token = token;
        _origin = origin;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // An anonymous request (an archived log's storage) never carries the token, whatever its origin.
        request.Headers.Authorization = !RequestProperties.GetPolicy(request).Anonymous && StudioOrigin.Same(request.RequestUri, _origin)
            ? new AuthenticationHeaderValue(_scheme, _token())
            : null;
        return base.SendAsync(request, cancellationToken);
    }
}
