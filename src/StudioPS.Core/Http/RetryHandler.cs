using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Rendering;

namespace StudioPS.Http;

/// <summary>
/// Sends a request again after a transient failure when <see cref="RetryPolicy"/> allows it,
/// waiting with backoff or the server's Retry-After. The wait ends at once on cancellation.
/// Its notes hold server text (reason phrases, error messages): they pass the redactor.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private readonly RetryPolicy _policy;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Redactor _redactor;
    private int _retryCount;

    public RetryHandler(RetryPolicy policy, Func<DateTimeOffset>? clock = null, Redactor? redactor = null)
    {
        _policy = policy;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        _redactor = redactor ?? Redactor.None;
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
            trace.Verbose(DisplayText.Escape(_redactor.Redact(string.Format(CultureInfo.InvariantCulture, "Retry {0}/{1} of {2} {3} in {4:0.###} s after {5}",
                attempt + 1, _policy.MaxRetries, request.Method, request.RequestUri?.AbsolutePath, wait.TotalSeconds, why))));
    }

    private static string? RetryAfterHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
}
