using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Rendering;

namespace StudioPS.Http;

/// <summary>
/// Writes each attempt to the call's trace: method, URL, status and time for -Verbose; headers
/// and bodies for -Debug. Everything passes through the redactor first; job environment values
/// in bodies are masked (their keys stay), and control characters are escaped.
/// </summary>
internal sealed class TraceHandler : DelegatingHandler
{
    private const int MaxBodyChars = 4096;
    private readonly Redactor _redactor;

    public TraceHandler(Redactor redactor)
    {
        _redactor = redactor;
    }

    private string Clean(string text) => DisplayText.Escape(_redactor.Redact(text), keepLineBreaks: true);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var trace = RequestProperties.GetTrace(request);
        if (!trace.VerboseEnabled && !trace.DebugEnabled)
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

        var policy = RequestProperties.GetPolicy(request);
        var shown = policy.HideQueryInTrace ? request.RequestUri?.GetLeftPart(UriPartial.Path) : request.RequestUri?.ToString();
        if (trace.DebugEnabled)
            trace.Debug(Clean(await DescribeRequestAsync(request, policy, shown).ConfigureAwait(false)));

        var watch = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
        {
            if (trace.VerboseEnabled)
                trace.Verbose(Clean(string.Format(CultureInfo.InvariantCulture, "{0} {1} failed after {2} ms: {3}",
                    request.Method, shown, watch.ElapsedMilliseconds, error.Message)));
            throw;
        }

        if (trace.VerboseEnabled)
            trace.Verbose(Clean(string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} ({4} ms)",
                request.Method, shown, (int)response.StatusCode, response.ReasonPhrase, watch.ElapsedMilliseconds)));
        if (trace.DebugEnabled)
            trace.Debug(Clean(await DescribeResponseAsync(response, policy, cancellationToken).ConfigureAwait(false)));
        return response;
    }

    private static async Task<string> DescribeRequestAsync(HttpRequestMessage request, RequestPolicy policy, string? shown)
    {
        var text = new StringBuilder();
        text.Append("HTTP request: ").Append(request.Method).Append(' ').Append(shown).AppendLine();
        foreach (var header in request.Headers)
        {
            var value = string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase)
                ? (request.Headers.Authorization?.Scheme ?? string.Empty) + " " + Redactor.Mask
                : string.Equals(header.Key, "User-Agent", StringComparison.OrdinalIgnoreCase)
                    ? request.Headers.UserAgent.ToString()
                    : string.Join(", ", header.Value);
            text.Append("  ").Append(header.Key).Append(": ").Append(value).AppendLine();
        }
        if (request.Content != null)
        {
            foreach (var header in request.Content.Headers)
                text.Append("  ").Append(header.Key).Append(": ").Append(string.Join(", ", header.Value)).AppendLine();
            if (policy.TraceRequestBody && (request.Content is ByteArrayContent))
                text.Append(Clip(EnvironmentMask.MaskJson(await request.Content.ReadAsStringAsync().ConfigureAwait(false))));
            else
                text.Append("  (body not shown)");
        }
        return text.ToString().TrimEnd();
    }

    private static async Task<string> DescribeResponseAsync(HttpResponseMessage response, RequestPolicy policy, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("HTTP response: ").Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase).AppendLine();
        foreach (var header in response.Headers)
            text.Append("  ").Append(header.Key).Append(": ").Append(string.Join(", ", header.Value)).AppendLine();
        foreach (var header in response.Content.Headers)
            text.Append("  ").Append(header.Key).Append(": ").Append(string.Join(", ", header.Value)).AppendLine();
        // A streamed list is not held whole for the trace (-Debug must not change what a call can read):
        // its first bytes are shown and put back in front of the rest.
        if (response.IsSuccessStatusCode && !policy.BufferResponse)
        {
            var head = await PeekAsync(response, cancellationToken).ConfigureAwait(false);
            return text.Append(Clip(EnvironmentMask.MaskJson(Encoding.UTF8.GetString(head)))).Append(head.Length == PeekBytes ? " ..." : string.Empty).ToString();
        }
        if (response.IsSuccessStatusCode)
            await HttpBodies.BufferAsync(response, HttpBodies.MaxBufferedBodyBytes, cancellationToken).ConfigureAwait(false);
        else
            await HttpBodies.BufferPrefixAsync(response, HttpBodies.MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        text.Append(Clip(EnvironmentMask.MaskJson(await response.Content.ReadAsStringAsync().ConfigureAwait(false))));
        return text.ToString().TrimEnd();
    }

    private const int PeekBytes = 16 * 1024;

    private static async Task<byte[]> PeekAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var original = response.Content;
        var stream = await original.ReadAsStreamAsync().ConfigureAwait(false);
        var head = new byte[PeekBytes];
        var filled = 0;
        using (cancellationToken.Register(() => stream.Dispose()))
        {
            try
            {
                int read;
                while (filled < head.Length && (read = await stream.ReadAsync(head, filled, head.Length - filled, cancellationToken).ConfigureAwait(false)) > 0)
                    filled += read;
            }
            catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        Array.Resize(ref head, filled);
        var content = new StreamContent(new PrefixedStream(head, stream));
        foreach (var header in original.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = content;
        return head;
    }

    private static string Clip(string body) =>
        body.Length <= MaxBodyChars ? body : body.Substring(0, MaxBodyChars) + string.Format(CultureInfo.InvariantCulture, "... ({0} more characters)", body.Length - MaxBodyChars);
}
