using System;
using System.IO;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Logs;

/// <summary>
/// A log stream over <see cref="ClientWebSocket"/>. A frame is received straight into one buffer that
/// grows to the largest frame seen (up to the message cap) and is reused for every frame of the
/// connection, and is handed on as UTF-8: a replay of a long history (every reconnect resends it)
/// allocates nothing per frame here.
/// </summary>
internal sealed class WebSocketLogSocket : ILogSocket
{
    private const int InitialBufferBytes = 16 * 1024;
    private readonly ClientWebSocket _socket;
    private readonly LogSocketSettings _settings;
    private byte[] _buffer = new byte[InitialBufferBytes];

    public WebSocketLogSocket(ClientWebSocket socket, LogSocketSettings? settings = null)
    {
        _socket = socket;
        _settings = settings ?? LogSocketSettings.Default;
    }

    public int? CloseStatus { get; private set; }

    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length) Grow(length);
            var result = await ReceiveWithinIdleAsync(new ArraySegment<byte>(_buffer, length, _buffer.Length - length), cancellationToken).ConfigureAwait(false);
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
            length += result.Count;
            if (length > _settings.MaxMessageBytes) throw TooLarge();
            if (result.EndOfMessage) return new ReadOnlyMemory<byte>(_buffer, 0, length);
        }
    }

    private void Grow(int length)
    {
        // One byte past the cap is enough to notice a message over it.
        var cap = _settings.MaxMessageBytes == int.MaxValue ? int.MaxValue : _settings.MaxMessageBytes + 1;
        if (length >= cap) throw TooLarge();
        var bigger = new byte[(int)Math.Min((long)length * 2, cap)];
        Buffer.BlockCopy(_buffer, 0, bigger, 0, length);
        _buffer = bigger;
    }

    private StudioPS.Client.StudioApiException TooLarge() =>
        new StudioPS.Client.StudioApiException(StudioPS.Client.StudioErrorKind.InvalidResponse,
            $"The log stream sent a message larger than {_settings.MaxMessageBytes / (1024 * 1024)} MiB, far more than Studio sends; it was refused.",
            null, null, "GET", "/api/logs/follow/");

    private async Task<WebSocketReceiveResult> ReceiveWithinIdleAsync(ArraySegment<byte> into, CancellationToken cancellationToken)
    {
        if (_settings.IdleTimeout == Timeout.InfiniteTimeSpan)
            return await _socket.ReceiveAsync(into, cancellationToken).ConfigureAwait(false);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_settings.IdleTimeout);
        try
        {
            return await _socket.ReceiveAsync(into, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A silent socket counts as dropped: the follower checks the job and reconnects.
            throw new IOException($"The log stream was silent for more than {_settings.IdleTimeout.TotalSeconds:0.###} s.");
        }
    }

    public void Dispose() => _socket.Dispose();
}
