using System;
using System.Net;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>Scheme, host and port: what decides where the token may go and what needs no proxy.</summary>
internal static class StudioOrigin
{
    /// <summary>True when both URLs have the same scheme, host and port (the browser's notion of an origin).</summary>
    public static bool Same(Uri? a, Uri? b) =>
        a != null && b != null && a.IsAbsoluteUri && b.IsAbsoluteUri
        && string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>This machine: <c>localhost</c>, 127.0.0.0/8 or ::1.</summary>
    public static bool IsLoopback(Uri uri)
    {
        if (uri.IsLoopback) return true;
        var host = uri.DnsSafeHost;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }
}
