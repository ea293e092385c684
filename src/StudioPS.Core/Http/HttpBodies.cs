using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>Reads response bodies into memory, bounded in time (the caller's token) and in size.</summary>
internal static class HttpBodies
{
    /// <summary>The most of an error body that is read: the server's message is in its first bytes.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>The largest single object Studio would send; lists stream and are not held whole.</summary>
    public const int MaxBufferedBodyBytes = 32 * 1024 * 1024;

    /// <summary>Reads the whole body; a body larger than <paramref name="maxBytes"/> is refused with a clear error.</summary>
    public static Task BufferAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken) =>
        ReadAsync(response, maxBytes, truncate: false, cancellationToken);

    /// <summary>Reads at most <paramref name="maxBytes"/> of the body and drops the rest (for error bodies).</summary>
    public static Task BufferPrefixAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken) =>
        ReadAsync(response, maxBytes, truncate: true, cancellationToken);

    // LoadIntoBufferAsync takes no token on netstandard2.0, and has no size limit of its own.
    private static async Task ReadAsync(HttpResponseMessage response, int maxBytes, bool truncate, CancellationToken cancellationToken)
    {
        if (response.Content is ByteArrayContent) return;
        var original = response.Content;
        if (original == null) return;
        if (!truncate && original.Headers.ContentLength > maxBytes) throw TooLarge(response, maxBytes);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        using (var stream = await original.ReadAsStreamAsync().ConfigureAwait(false))
        using (cancellationToken.Register(() => stream.Dispose()))
        {
            try
            {
                while (true)
                {
                    var room = truncate ? (int)Math.Min(chunk.Length, maxBytes - buffer.Length) : chunk.Length;
                    if (room <= 0) break;
                    var read = await stream.ReadAsync(chunk, 0, room, cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    buffer.Write(chunk, 0, read);
                    if (!truncate && buffer.Length > maxBytes) throw TooLarge(response, maxBytes);
                }
            }
            catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var header in original.Headers)
        {
            if (truncate && string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        response.Content = content;
        original.Dispose();
    }

    private static StudioApiException TooLarge(HttpResponseMessage response, int maxBytes)
    {
        var method = response.RequestMessage?.Method.Method ?? "GET";
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? string.Empty;
        return new StudioApiException(StudioErrorKind.InvalidResponse, string.Format(CultureInfo.InvariantCulture,
            "The response to {0} {1} is larger than {2} MiB, far more than Studio sends for one object; it was refused.",
            method, path, maxBytes / (1024 * 1024)), response.StatusCode, null, method, path);
    }
}
