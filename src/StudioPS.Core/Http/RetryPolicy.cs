using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>
/// Which failures are retried, and how long to wait. Pure logic, so the rules are tested
/// without a server. Reads are retried on transient statuses and network failures; a write
/// only where the server cannot have acted on it.
/// </summary>
internal sealed class RetryPolicy
{
    private readonly Backoff _backoff;

    public RetryPolicy(int maxRetries = 3, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null,
        TimeSpan? maxRetryAfter = null, Func<double>? random = null)
    {
        if (maxRetries < 0) throw new ArgumentOutOfRangeException(nameof(maxRetries));
        MaxRetries = maxRetries;
        BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(500);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(30);
        MaxRetryAfter = maxRetryAfter ?? TimeSpan.FromSeconds(120);
        _backoff = new Backoff(BaseDelay, MaxDelay, BackoffJitter.Full, random);
    }

    public int MaxRetries { get; }
    public TimeSpan BaseDelay { get; }
    public TimeSpan MaxDelay { get; }

    /// <summary>A Retry-After longer than this is not waited out: the call fails and says so.</summary>
    public TimeSpan MaxRetryAfter { get; }

    public static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
        || method == HttpMethod.Put || method == HttpMethod.Delete;

    private static bool IsTransientStatus(int status) =>
        status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;

    /// <summary>Should a response with this status be retried? <paramref name="attempt"/> counts retries already made.</summary>
    public bool ShouldRetry(HttpMethod method, HttpStatusCode status, TimeSpan? retryAfter, int attempt)
    {
        if (attempt >= MaxRetries) return false;
        if (retryAfter.HasValue && retryAfter.Value > MaxRetryAfter) return false;
        var code = (int)status;
        if (!IsTransientStatus(code)) return false;
        if (IsIdempotent(method)) return true;
        // A write: 429 means the request was refused before any work; 503 with Retry-After is the
        // server saying it did not take the request. Any other 5xx may have done the work.
        return code == 429 || (code == 503 && retryAfter.HasValue);
    }

    /// <summary>Should a call that failed with this exception (no response) be retried?</summary>
    public bool ShouldRetry(HttpMethod method, Exception error, int attempt)
    {
        if (attempt >= MaxRetries) return false;
        if (IsIdempotent(method)) return IsTransientException(error);
        return ServerCannotHaveActed(error);
    }

    public static bool IsTransientException(Exception error) =>
        error is HttpRequestException || error is IOException || error is TimeoutException
        || error is SocketException;

    /// <summary>
    /// True only when the request can never have reached the server's application: the
    /// connection was refused or the host name did not resolve.
    /// </summary>
    public static bool ServerCannotHaveActed(Exception error)
    {
        for (var e = error; e != null; e = e.InnerException)
        {
            if (e is SocketException se &&
                (se.SocketErrorCode == SocketError.ConnectionRefused || se.SocketErrorCode == SocketError.HostNotFound
                 || se.SocketErrorCode == SocketError.NoData || se.SocketErrorCode == SocketError.NetworkUnreachable
                 || se.SocketErrorCode == SocketError.HostUnreachable))
                return true;
        }
        return false;
    }

    /// <summary>
    /// How long to wait before retry number <paramref name="attempt"/> + 1: the server's
    /// Retry-After when it gave one, else exponential backoff with full jitter.
    /// </summary>
    public TimeSpan GetDelay(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter.HasValue)
            return retryAfter.Value < TimeSpan.Zero ? TimeSpan.Zero : retryAfter.Value;
        return _backoff.Delay(attempt);
    }

    /// <summary>
    /// Reads a Retry-After header value: delta-seconds or an HTTP-date. Null when absent or unreadable.
    /// </summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value!.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(1).TotalSeconds));
        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
