using System;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Logs;

/// <summary>One open log stream: text frames until the server closes it or it drops.</summary>
internal interface ILogSocket : IDisposable
{
    /// <summary>
    /// The next text frame as UTF-8, valid until the next call (the socket reuses its buffer), or null
    /// when the server closed the socket (see <see cref="CloseStatus"/>).
    /// </summary>
    Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancellationToken);

    int? CloseStatus { get; }
}
