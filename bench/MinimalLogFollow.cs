// The least a compiled cmdlet must do to write a followed log as lines, for follow-100k's floor
// (bench/FollowBench.ps1 compiles it with Add-Type): one websocket, every frame JSON-parsed, every
// record's message decoded, split into lines on LF (a CRLF's CR dropped, a line cut across messages
// joined), one WriteObject per line. No deduplication, reconnection, status, archive or time-out:
// everything Get-StudioJobLog -Follow adds to this is StudioPS's own cost.
using System;
using System.Management.Automation;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace StudioPSBench;

[Cmdlet("Read", "MinimalLogFollow")]
public sealed class MinimalLogFollowCommand : PSCmdlet
{
    [Parameter(Mandatory = true)]
    public Uri Uri { get; set; } = null!;

    [Parameter(Mandatory = true)]
    public string Token { get; set; } = null!;

    protected override void EndProcessing()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + Token);
        socket.ConnectAsync(Uri, CancellationToken.None).GetAwaiter().GetResult();
        var buffer = new byte[1 << 20];
        var length = 0;
        var partial = new StringBuilder();
        while (true)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var received = socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None).GetAwaiter().GetResult();
            if (received.MessageType == WebSocketMessageType.Close) break;
            length += received.Count;
            if (!received.EndOfMessage) continue;
            using (var document = JsonDocument.Parse(new ReadOnlyMemory<byte>(buffer, 0, length)))
            {
                if (document.RootElement.TryGetProperty("logs", out var logs))
                {
                    foreach (var record in logs.EnumerateArray()) Split(record.GetProperty("message").GetString() ?? string.Empty, partial);
                }
            }
            length = 0;
        }
        if (partial.Length > 0) WriteObject(partial.ToString());
    }

    private void Split(string message, StringBuilder partial)
    {
        var start = 0;
        while (true)
        {
            var lf = message.IndexOf('\n', start);
            if (lf < 0)
            {
                partial.Append(message, start, message.Length - start);
                return;
            }
            var end = lf > start && message[lf - 1] == '\r' ? lf - 1 : lf;
            if (partial.Length == 0)
            {
                WriteObject(message.Substring(start, end - start));
            }
            else
            {
                if (lf == start && partial[partial.Length - 1] == '\r') partial.Length--;
                WriteObject(partial.Append(message, start, end - start).ToString());
                partial.Clear();
            }
            start = lf + 1;
        }
    }
}
