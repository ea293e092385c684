using System;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Logs
{
    /// <summary>One open log stream: text frames until the server closes it or it drops.</summary>
    internal interface ILogSocket : IDisposable
    {
        /// <summary>The next text frame, or null when the server closed the socket (see <see cref="CloseStatus"/>).</summary>
        Task<string?> ReceiveAsync(CancellationToken cancellationToken);

        int? CloseStatus { get; }
    }

    internal interface ILogSocketFactory
    {
        /// <summary>Opens the stream; throws <see cref="LogHandshakeException"/> when the server refuses the upgrade.</summary>
        Task<ILogSocket> ConnectAsync(Uri uri, CancellationToken cancellationToken);
    }

    /// <summary>The server answered the websocket handshake with an HTTP status instead of switching protocols.</summary>
    internal sealed class LogHandshakeException : Exception
    {
        public LogHandshakeException(int? statusCode, string message, Exception? inner = null) : base(message, inner)
        {
            StatusCode = statusCode;
        }

        /// <summary>The HTTP status, when the platform reports it (null for a network failure).</summary>
        public int? StatusCode { get; }
    }

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
}
