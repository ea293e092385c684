using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>
/// The HttpClient for URLs Studio hands out that point elsewhere (signed export parts): retry and
/// time-out as for Studio, but no authentication handler at all, and a last handler that strips any
/// Authorization or Cookie header, so the Studio token cannot reach another origin by any path. Whether a
/// proxy is used is decided by each request's own origin (<see cref="ProxyByOriginHandler"/>), not Studio's.
/// </summary>
internal static class ForeignOriginHttp
{
    /// <param name="timeout">Each attempt's time to the response headers.</param>
    /// <param name="maxRetries">Retries of a failed attempt, as for Studio.</param>
    /// <param name="userAgent">The User-Agent header.</param>
    /// <param name="primaryHandler">Tests replace the network with it; null means the real network.</param>
    /// <param name="disposePrimary">False when the caller shares <paramref name="primaryHandler"/> with another client.</param>
    /// <param name="createNetworkHandler">Makes the real network handler for <c>useProxy</c> (tests watch the choice); <see cref="StudioHttp.CreateNetworkHandler"/> when null.</param>
    public static HttpClient Create(TimeSpan timeout, int maxRetries, string userAgent, HttpMessageHandler? primaryHandler = null,
        bool disposePrimary = true, Func<bool, HttpMessageHandler>? createNetworkHandler = null)
    {
        var handler = new RetryHandler(new RetryPolicy(maxRetries))
        {
            InnerHandler = new TimeoutHandler(timeout)
            {
                InnerHandler = new StripCredentialsHandler
                {
                    InnerHandler = primaryHandler == null ? new ProxyByOriginHandler(createNetworkHandler ?? StudioHttp.CreateNetworkHandler)
                        : disposePrimary ? primaryHandler : new NonDisposingHandler(primaryHandler),
                },
            },
        };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }

    private sealed class StripCredentialsHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = null;
            request.Headers.Remove("Cookie");
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Lets tests share one fake handler between the Studio client and this one.</summary>
    private sealed class NonDisposingHandler : DelegatingHandler
    {
        public NonDisposingHandler(HttpMessageHandler inner) : base(new Forward(inner)) { }

        private sealed class Forward : HttpMessageHandler
        {
            private readonly HttpMessageInvoker _inner;
            public Forward(HttpMessageHandler inner) { _inner = new HttpMessageInvoker(inner, disposeHandler: false); }
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                _inner.SendAsync(request, cancellationToken);
        }
    }
}
