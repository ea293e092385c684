using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Http;

namespace StudioPS.Logs;

/// <summary>
/// Reads an archived log (a <c>log_blobs</c> URL) through the connection's handler chain, so retries and
/// time-outs apply, streaming its text to the follow's output. The token is sent only when the URL's
/// origin (scheme, host, port) is Studio's own; anything else goes without authentication. Only https
/// is fetched, unless Studio itself is plain http on loopback (the emulator). Size and time are bounded.
/// </summary>
internal sealed class ArchivedLogReader
{
    private readonly StudioClient _client;
    private readonly IStudioTrace _trace;
    private readonly LogFollowOptions _options;

    public ArchivedLogReader(StudioClient client, IStudioTrace trace, LogFollowOptions options)
    {
        _client = client;
        _trace = trace;
        _options = options;
    }

    /// <summary>True when <paramref name="uri"/> has the same scheme, host and port as <paramref name="studio"/>.</summary>
    public static bool IsStudioOrigin(Uri uri, Uri studio) =>
        string.Equals(uri.Scheme, studio.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, studio.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == studio.Port;

    /// <summary>Why this URL is not fetched at all, or null when it may be.</summary>
    public static string? Refusal(Uri uri, Uri studio)
    {
        if (uri.Scheme == Uri.UriSchemeHttps) return null;
        var plainLoopback = studio.Scheme == Uri.UriSchemeHttp && studio.IsLoopback;
        if (uri.Scheme == Uri.UriSchemeHttp && plainLoopback && uri.IsLoopback) return null;
        return $"only https archives are read (this one is {uri.Scheme})";
    }

    /// <summary>Streams the archive's text to <paramref name="write"/>; throws StudioApiException on failure.</summary>
    public async Task ReadAsync(Uri uri, Func<string, Task> write, CancellationToken cancellationToken)
    {
        var where = uri.GetLeftPart(UriPartial.Path);
        var refusal = Refusal(uri, _client.ApiBase);
        if (refusal != null) throw Failure(where, refusal, null);

        var own = IsStudioOrigin(uri, _client.ApiBase);
        var policy = new RequestPolicy
        {
            BufferResponse = false,
            Timeout = _options.ArchivedLogTimeout,
            Anonymous = !own,
            HideQueryInTrace = true,
        };
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_options.ArchivedLogTimeout);
        try
        {
            using var response = await _client.SendAsync(HttpMethod.Get, uri, null, policy, _trace, bound.Token).ConfigureAwait(false);
            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using (bound.Token.Register(() => body.Dispose()))
            {
                var decoder = new UTF8Encoding(false).GetDecoder();
                var bytes = new byte[64 * 1024];
                var chars = new char[bytes.Length + 4];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(bytes, 0, bytes.Length, bound.Token).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > _options.MaxArchivedLogBytes)
                        throw Failure(where, $"it is larger than {_options.MaxArchivedLogBytes} bytes; the rest is not shown", null);
                    var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                    if (count > 0) await write(new string(chars, 0, count)).ConfigureAwait(false);
                }
                var tail = decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
                if (tail > 0) await write(new string(chars, 0, tail)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && bound.IsCancellationRequested
                                  && (e is OperationCanceledException || e is ObjectDisposedException || e is IOException))
        {
            throw Failure(where, $"it took longer than {_options.ArchivedLogTimeout.TotalSeconds:0} s", e);
        }
        catch (Exception e) when (e is IOException || e is HttpRequestException || e is ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            throw Failure(where, e.Message, e);
        }
    }

    // The query string of a presigned URL is a credential too: only the host and path are named.
    private StudioApiException Failure(string where, string why, Exception? inner) =>
        new StudioApiException(StudioErrorKind.ConnectionFailed, _client.Redactor.Redact(why),
            null, null, "GET", where, false, null, inner);
}
