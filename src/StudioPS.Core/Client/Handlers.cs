using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Client
{
    /// <summary>Adds the Authorization header; the token is read from its protected store per request.</summary>
    internal sealed class AuthHandler : DelegatingHandler
    {
        private readonly string _scheme;
        private readonly Func<string> _token;

        public AuthHandler(string scheme, Func<string> token)
        {
            _scheme = scheme;
            _token = token;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // A request for another origin (an archived log's storage) never carries the token.
            if (!RequestProperties.GetPolicy(request).Anonymous)
                request.Headers.Authorization = new AuthenticationHeaderValue(_scheme, _token());
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>
    /// Bounds each attempt by the connection's time-out (or the request's own) and, for small
    /// responses, reads the whole body inside that bound so a cut-off body counts as a failed attempt.
    /// A time-out becomes a <see cref="TimeoutException"/>; the caller's own cancellation stays an
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    internal sealed class TimeoutHandler : DelegatingHandler
    {
        private readonly TimeSpan _defaultTimeout;

        public TimeoutHandler(TimeSpan defaultTimeout)
        {
            _defaultTimeout = defaultTimeout;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var policy = RequestProperties.GetPolicy(request);
            var timeout = policy.Timeout ?? _defaultTimeout;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout != Timeout.InfiniteTimeSpan) linked.CancelAfter(timeout);
            try
            {
                var response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
                if (policy.BufferResponse)
                {
                    try
                    {
                        await HttpBodies.BufferAsync(response, linked.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        response.Dispose();
                        throw;
                    }
                }
                return response;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && linked.IsCancellationRequested)
            {
                throw new TimeoutException(string.Format(CultureInfo.InvariantCulture,
                    "No complete answer within {0:0.###} s.", timeout.TotalSeconds));
            }
        }
    }

    /// <summary>
    /// Sends a request again after a transient failure when <see cref="RetryPolicy"/> allows it,
    /// waiting with backoff or the server's Retry-After. The wait ends at once on cancellation.
    /// </summary>
    internal sealed class RetryHandler : DelegatingHandler
    {
        private readonly RetryPolicy _policy;
        private readonly Func<DateTimeOffset> _clock;
        private int _retryCount;

        public RetryHandler(RetryPolicy policy, Func<DateTimeOffset>? clock = null)
        {
            _policy = policy;
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>How many retries this connection has made; reliability figures read it.</summary>
        public int RetryCount => Volatile.Read(ref _retryCount);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var trace = RequestProperties.GetTrace(request);
            for (var attempt = 0; ; attempt++)
            {
                HttpResponseMessage response;
                try
                {
                    response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (!cancellationToken.IsCancellationRequested
                                              && RetryPolicy.IsTransientException(error)
                                              && _policy.ShouldRetry(request.Method, error, attempt))
                {
                    var wait = _policy.GetDelay(attempt, null);
                    Note(trace, request, attempt, wait, error.GetType().Name + ": " + error.Message);
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var retryAfter = RetryPolicy.ParseRetryAfter(RetryAfterHeader(response), _clock());
                if (!_policy.ShouldRetry(request.Method, response.StatusCode, retryAfter, attempt))
                    return response;

                var delay = _policy.GetDelay(attempt, retryAfter);
                Note(trace, request, attempt, delay, string.Format(CultureInfo.InvariantCulture, "{0} {1}{2}",
                    (int)response.StatusCode, response.ReasonPhrase,
                    retryAfter.HasValue ? ", Retry-After " + retryAfter.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s" : string.Empty));
                response.Dispose();
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        private void Note(IStudioTrace trace, HttpRequestMessage request, int attempt, TimeSpan wait, string why)
        {
            Interlocked.Increment(ref _retryCount);
            if (trace.VerboseEnabled)
                trace.Verbose(string.Format(CultureInfo.InvariantCulture, "Retry {0}/{1} of {2} {3} in {4:0.###} s after {5}",
                    attempt + 1, _policy.MaxRetries, request.Method, request.RequestUri?.AbsolutePath, wait.TotalSeconds, why));
        }

        private static string? RetryAfterHeader(HttpResponseMessage response) =>
            response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
    }

    /// <summary>
    /// Writes each attempt to the call's trace: method, URL, status and time for -Verbose; headers
    /// and bodies for -Debug. Everything passes through the redactor first.
    /// </summary>
    internal sealed class TraceHandler : DelegatingHandler
    {
        private const int MaxBodyChars = 4096;
        private readonly Redactor _redactor;

        public TraceHandler(Redactor redactor)
        {
            _redactor = redactor;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var trace = RequestProperties.GetTrace(request);
            if (!trace.VerboseEnabled && !trace.DebugEnabled)
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

            var policy = RequestProperties.GetPolicy(request);
            var shown = policy.HideQueryInTrace ? request.RequestUri?.GetLeftPart(UriPartial.Path) : request.RequestUri?.ToString();
            if (trace.DebugEnabled)
                trace.Debug(_redactor.Redact(await DescribeRequestAsync(request, policy, shown).ConfigureAwait(false)));

            var watch = Stopwatch.StartNew();
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                if (trace.VerboseEnabled)
                    trace.Verbose(_redactor.Redact(string.Format(CultureInfo.InvariantCulture, "{0} {1} failed after {2} ms: {3}",
                        request.Method, shown, watch.ElapsedMilliseconds, error.Message)));
                throw;
            }

            if (trace.VerboseEnabled)
                trace.Verbose(_redactor.Redact(string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} ({4} ms)",
                    request.Method, shown, (int)response.StatusCode, response.ReasonPhrase, watch.ElapsedMilliseconds)));
            if (trace.DebugEnabled)
                trace.Debug(_redactor.Redact(await DescribeResponseAsync(response, cancellationToken).ConfigureAwait(false)));
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
                    text.Append(Clip(await request.Content.ReadAsStringAsync().ConfigureAwait(false)));
                else
                    text.Append("  (body not shown)");
            }
            return text.ToString().TrimEnd();
        }

        private static async Task<string> DescribeResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var text = new StringBuilder();
            text.Append("HTTP response: ").Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase).AppendLine();
            foreach (var header in response.Headers)
                text.Append("  ").Append(header.Key).Append(": ").Append(string.Join(", ", header.Value)).AppendLine();
            foreach (var header in response.Content.Headers)
                text.Append("  ").Append(header.Key).Append(": ").Append(string.Join(", ", header.Value)).AppendLine();
            // Showing the body means holding it: debug output trades streaming for visibility.
            await HttpBodies.BufferAsync(response, cancellationToken).ConfigureAwait(false);
            text.Append(Clip(await response.Content.ReadAsStringAsync().ConfigureAwait(false)));
            return text.ToString().TrimEnd();
        }

        private static string Clip(string body) =>
            body.Length <= MaxBodyChars ? body : body.Substring(0, MaxBodyChars) + string.Format(CultureInfo.InvariantCulture, "... ({0} more characters)", body.Length - MaxBodyChars);
    }

    internal static class HttpBodies
    {
        /// <summary>Reads the body into memory with the caller's token (LoadIntoBufferAsync takes none on netstandard2.0).</summary>
        public static async Task BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            if (response.Content is ByteArrayContent) return;
            var original = response.Content;
            var buffer = new MemoryStream();
            using (var stream = await original.ReadAsStreamAsync().ConfigureAwait(false))
            using (cancellationToken.Register(() => stream.Dispose()))
            {
                try
                {
                    await stream.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
                }
                catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
            var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
            foreach (var header in original.Headers)
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content = content;
            original.Dispose();
        }
    }
}
