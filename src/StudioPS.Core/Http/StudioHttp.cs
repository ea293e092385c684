using System;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>What the handler chain of one connection is built from.</summary>
internal sealed class StudioHttpOptions
{
    public string AuthScheme { get; set; } = "Bearer";
    public Func<string> Token { get; set; } = () => string.Empty;

    /// <summary>Studio's origin: the only one the token is sent to (null: none). A loopback one is reached without a proxy.</summary>
    public Uri? StudioOrigin { get; set; }
    public Redactor Redactor { get; set; } = Redactor.None;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
    public int MaxRetries { get; set; } = 3;
    public string UserAgent { get; set; } = "StudioPS";

    /// <summary>Tests replace the network with a fake handler; null means the real one.</summary>
    public HttpMessageHandler? PrimaryHandler { get; set; }

    public RetryPolicy? RetryPolicy { get; set; }
}

/// <summary>
/// Builds the one HttpClient a connection shares: retry (outermost, so each attempt is traced
/// and timed on its own) → time-out → redirect (each hop a request of its own) → auth (the token
/// for Studio's origin only, checked on every attempt and hop) → trace → the network.
/// </summary>
internal static class StudioHttp
{
    public static HttpClient Create(StudioHttpOptions options, out RetryHandler retryHandler)
    {
        retryHandler = new RetryHandler(options.RetryPolicy ?? new RetryPolicy(options.MaxRetries), null, options.Redactor)
        {
            InnerHandler = new TimeoutHandler(options.Timeout)
            {
                InnerHandler = new RedirectHandler
                {
                    InnerHandler = new AuthHandler(options.AuthScheme, options.Token, options.StudioOrigin)
                    {
                        InnerHandler = new TraceHandler(options.Redactor)
                        {
                            InnerHandler = options.PrimaryHandler ?? CreateNetworkHandler(UseProxyFor(options.StudioOrigin)),
                        },
                    },
                },
            },
        };
        // Time-outs are per attempt, in TimeoutHandler; HttpClient's own would cut a whole retry sequence.
        var client = new HttpClient(retryHandler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        return client;
    }

    /// <summary>
    /// An address on this machine is never reached through a proxy: for Studio the proxy would see its token,
    /// and a proxy elsewhere cannot reach this machine's loopback anyway.
    /// </summary>
    public static bool UseProxyFor(Uri? origin) => origin == null || !origin.IsAbsoluteUri || !StudioOrigin.IsLoopback(origin);

    /// <summary>
    /// On .NET (PowerShell 7) a SocketsHttpHandler that recycles pooled connections, so a long
    /// runbook follows DNS changes; on .NET Framework (Windows PowerShell) the classic handler.
    /// Redirects are followed by <see cref="RedirectHandler"/>, never by the network handler.
    /// </summary>
    internal static HttpMessageHandler CreateNetworkHandler(bool useProxy)
    {
        var socketsType = Type.GetType("System.Net.Http.SocketsHttpHandler, System.Net.Http", throwOnError: false);
        if (socketsType != null && Activator.CreateInstance(socketsType) is HttpMessageHandler sockets)
        {
            Set(socketsType, sockets, "PooledConnectionLifetime", TimeSpan.FromMinutes(5));
            Set(socketsType, sockets, "ConnectTimeout", TimeSpan.FromSeconds(30));
            Set(socketsType, sockets, "UseCookies", false);
            Set(socketsType, sockets, "AllowAutoRedirect", false);
            Set(socketsType, sockets, "UseProxy", useProxy);
            Set(socketsType, sockets, "AutomaticDecompression", DecompressionMethods.GZip | DecompressionMethods.Deflate);
            return sockets;
        }
        return new HttpClientHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = useProxy,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };
    }

    private static void Set(Type type, object target, string name, object value)
    {
        var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
        if (property != null && property.CanWrite) property.SetValue(target, value);
    }
}
