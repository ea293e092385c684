using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Http;

/// <summary>
/// The network end of the client for addresses that are not Studio's (signed export parts): the proxy is
/// decided by each request's own origin, not Studio's, so a part on this machine is fetched directly and a
/// part on a storage host goes through the system proxy, wherever Studio itself is. Two network handlers,
/// each made on first use.
/// </summary>
internal sealed class ProxyByOriginHandler : HttpMessageHandler
{
    private readonly Func<bool, HttpMessageHandler> _create;
    private readonly object _gate = new object();
    private HttpMessageInvoker? _direct;
    private HttpMessageInvoker? _proxied;

    /// <param name="create">Makes the network handler for <c>useProxy</c>; <see cref="StudioHttp.CreateNetworkHandler"/> outside tests.</param>
    public ProxyByOriginHandler(Func<bool, HttpMessageHandler> create)
    {
        _create = create;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var useProxy = StudioHttp.UseProxyFor(request.RequestUri);
        return InvokerFor(useProxy).SendAsync(request, cancellationToken);
    }

    private HttpMessageInvoker InvokerFor(bool useProxy)
    {
        lock (_gate)
        {
            if (useProxy) return _proxied ??= new HttpMessageInvoker(_create(true), disposeHandler: true);
            return _direct ??= new HttpMessageInvoker(_create(false), disposeHandler: true);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _direct?.Dispose();
                _proxied?.Dispose();
                _direct = _proxied = null;
            }
        }
        base.Dispose(disposing);
    }
}
