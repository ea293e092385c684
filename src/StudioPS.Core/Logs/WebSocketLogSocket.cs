using System;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Logs
{
    internal sealed class WebSocketLogSocket : ILogSocket
    {
        private readonly ClientWebSocket _socket;
        private readonly byte[] _buffer = new byte[16 * 1024];

        public WebSocketLogSocket(ClientWebSocket socket)
        {
            _socket = socket;
        }

        public int? CloseStatus { get; private set; }

        public async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
        {
            using var message = new MemoryStream();
            while (true)
            {
                var result = await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer), cancellationToken).ConfigureAwait(false);
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
                if (message.Length > 64 * 1024 * 1024) throw new IOException("A log frame larger than 64 MiB was refused.");
                if (result.EndOfMessage) return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
