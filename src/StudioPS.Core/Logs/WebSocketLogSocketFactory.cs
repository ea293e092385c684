using System;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Logs;

/// <summary>The real transport: ClientWebSocket with the connection's Authorization header.</summary>
internal sealed class WebSocketLogSocketFactory : ILogSocketFactory
{
    private readonly Func<string> _authorization;
    private readonly string _userAgent;
    private readonly LogSocketSettings _settings;

    public WebSocketLogSocketFactory(Func<string> authorization, string userAgent, LogSocketSettings? settings = null)
    {
        _authorization = authorization;
        _userAgent = userAgent;
        _settings = settings ?? LogSocketSettings.Default;
    }

    public async Task<ILogSocket> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", _authorization());
        socket.Options.SetRequestHeader("User-Agent", _userAgent);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        if (!_settings.UseProxy) socket.Options.Proxy = null;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            return new WebSocketLogSocket(socket, _settings);
        }
        catch (WebSocketException error)
        {
            socket.Dispose();
            throw new LogHandshakeException(StatusFrom(error.Message), error.Message, error);
        }
        catch (Exception error) when (!(error is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            throw new LogHandshakeException(null, error.Message, error);
        }
    }

    /// <summary>
    /// .NET reports a refused upgrade only in the message ("The server returned status code '403'
    /// when status code '101' was expected"); the status is read from there.
    /// </summary>
    internal static int? StatusFrom(string message)
    {
        var marker = message.IndexOf("status code '", StringComparison.OrdinalIgnoreCase);
        if (marker < 0) return null;
        var start = marker + "status code '".Length;
        var end = message.IndexOf('\'', start);
        return end > start && int.TryParse(message.Substring(start, end - start), out var status) && status != 101 ? status : (int?)null;
    }
}
