using System;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Logs;

/// <summary>One open log stream: text frames until the server closes it or it drops.</summary>
internal interface ILogSocket : IDisposable
{
    /// <summary>The next text frame, or null when the server closed the socket (see <see cref="CloseStatus"/>).</summary>
    Task<string?> ReceiveAsync(CancellationToken cancellationToken);

    int? CloseStatus { get; }
}
