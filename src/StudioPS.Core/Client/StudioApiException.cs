using System;
using System.Net;

namespace StudioPS.Client;

/// <summary>
/// The one exception the client throws for a failed call: the kind, the HTTP status, the
/// server's own message, and the request's method and path (never its query string or token).
/// </summary>
public sealed class StudioApiException : Exception
{
    /// <summary>Creates the exception; the message should name what failed and, when known, the server's own words.</summary>
    public StudioApiException(
        StudioErrorKind kind,
        string message,
        HttpStatusCode? statusCode = null,
        string? serverMessage = null,
        string? method = null,
        string? path = null,
        bool outcomeUnknown = false,
        TimeSpan? retryAfter = null,
        Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        StatusCode = statusCode;
        ServerMessage = serverMessage;
        Method = method;
        Path = path;
        OutcomeUnknown = outcomeUnknown;
        RetryAfter = retryAfter;
    }

    /// <summary>What went wrong, in the terms a caller acts on.</summary>
    public StudioErrorKind Kind { get; }
    /// <summary>The HTTP status, when there was a response.</summary>
    public HttpStatusCode? StatusCode { get; }
    /// <summary>The server's own message, when it gave one.</summary>
    public string? ServerMessage { get; }
    /// <summary>The request's method, e.g. GET.</summary>
    public string? Method { get; }
    /// <summary>The request's path (never its query string).</summary>
    public string? Path { get; }

    /// <summary>
    /// True when a write may or may not have happened on the server (a time-out or a dropped
    /// connection after the request was sent). Callers must check before trying again.
    /// </summary>
    public bool OutcomeUnknown { get; }

    /// <summary>How long the server asked to wait before trying again.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Stable id for scripts: <c>Studio.NotFound</c>, <c>Studio.Timeout</c>...</summary>
    public string ErrorId => "Studio." + Kind;
}
