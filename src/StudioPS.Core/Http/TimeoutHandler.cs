using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>
/// Bounds each attempt by the connection's time-out (or the request's own) and, for small
/// responses and for every error response, reads the body inside that bound, so a cut-off body
/// counts as a failed attempt and a body that trickles cannot hold a call past its time-out.
/// Bodies read here are capped: an error body is cut at <see cref="HttpBodies.MaxErrorBodyBytes"/>,
/// a buffered success body larger than <see cref="HttpBodies.MaxBufferedBodyBytes"/> is refused.
/// A time-out becomes a <see cref="TimeoutException"/>; the caller's own cancellation stays an
/// <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class TimeoutHandler : DelegatingHandler
{
    private readonly TimeSpan _defaultTimeout;

    public TimeoutHandler(TimeSpan defaultTimeout)
    {
        _defaultTimeout = defaultTimeout;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var policy = RequestProperties.GetPolicy(request);
        var timeout = policy.Timeout ?? _defaultTimeout;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan) linked.CancelAfter(timeout);
        try
        {
            var response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
            var isError = !response.IsSuccessStatusCode;
            if (policy.BufferResponse || isError)
            {
                try
                {
                    if (isError) await HttpBodies.BufferPrefixAsync(response, HttpBodies.MaxErrorBodyBytes, linked.Token).ConfigureAwait(false);
                    else await HttpBodies.BufferAsync(response, HttpBodies.MaxBufferedBodyBytes, linked.Token).ConfigureAwait(false);
                }
                catch
                {
                    response.Dispose();
                    throw;
                }
            }
            return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && linked.IsCancellationRequested)
        {
            throw new TimeoutException(string.Format(CultureInfo.InvariantCulture,
                "No complete answer within {0:0.###} s.", timeout.TotalSeconds));
        }
    }
}
