using System;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Logs;

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
