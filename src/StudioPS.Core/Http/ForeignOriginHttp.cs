using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>
/// The HttpClient for URLs Studio hands out that point elsewhere (signed export parts): retry and
/// time-out as for Studio, but no authentication handler at all, and a last handler that strips any
/// Authorization or Cookie header, so the Studio token cannot reach another origin by any path.
/// </summary>
internal static class ForeignOriginHttp
{
    public static HttpClient Create(TimeSpan timeout, int maxRetries, string userAgent, HttpMessageHandler? primaryHandler = null,
        bool disposePrimary = true, bool useProxy = true)
    {
        var handler = new RetryHandler(new RetryPolicy(maxRetries))
        {
            InnerHandler = new TimeoutHandler(timeout)
            {
                InnerHandler = new StripCredentialsHandler
                {
                    InnerHandler = primaryHandler == null ? StudioHttp.CreateNetworkHandler(useProxy)
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
