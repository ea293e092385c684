using System;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Logs;

internal interface ILogSocketFactory
{
    /// <summary>Opens the stream; throws <see cref="LogHandshakeException"/> when the server refuses the upgrade.</summary>
    Task<ILogSocket> ConnectAsync(Uri uri, CancellationToken cancellationToken);
}
