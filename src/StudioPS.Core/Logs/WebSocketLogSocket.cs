using System;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Logs;

internal sealed class WebSocketLogSocket : ILogSocket
{
    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly LogSocketSettings _settings;

    public WebSocketLogSocket(ClientWebSocket socket, LogSocketSettings? settings = null)
    {
        _socket = socket;
        _settings = settings ?? LogSocketSettings.Default;
    }

    public int? CloseStatus { get; private set; }

    public async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        while (true)
        {
            var result = await ReceiveWithinIdleAsync(cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                CloseStatus = (int?)result.CloseStatus;
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException || e is IOException || e is ObjectDisposedException)
                {
                    // The server is gone already; the close is complete from our side.
                }
                return null;
            }
            message.Write(_buffer, 0, result.Count);
            if (message.Length > _settings.MaxMessageBytes)
                throw new StudioPS.Client.StudioApiException(StudioPS.Client.StudioErrorKind.InvalidResponse,
                    $"The log stream sent a message larger than {_settings.MaxMessageBytes / (1024 * 1024)} MiB, far more than Studio sends; it was refused.",
                    null, null, "GET", "/api/logs/follow/");
            if (result.EndOfMessage) return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
        }
    }

    private async Task<WebSocketReceiveResult> ReceiveWithinIdleAsync(CancellationToken cancellationToken)
    {
        if (_settings.IdleTimeout == Timeout.InfiniteTimeSpan)
            return await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer), cancellationToken).ConfigureAwait(false);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_settings.IdleTimeout);
        try
        {
            return await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer), idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A silent socket counts as dropped: the follower checks the job and reconnects.
            throw new IOException($"The log stream was silent for more than {_settings.IdleTimeout.TotalSeconds:0.###} s.");
        }
    }

    public void Dispose() => _socket.Dispose();
}
