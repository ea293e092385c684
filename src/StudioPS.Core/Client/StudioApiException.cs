using System;
using System.Net;

namespace StudioPS.Client
{
    /// <summary>What went wrong, in the terms a caller acts on. Each kind has a stable error id.</summary>
    public enum StudioErrorKind
    {
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        RateLimited,
        ServerError,
        Timeout,
        ConnectionFailed,
        TlsFailure,
        InvalidResponse,
        OperationFailed,
        HttpError,
    }

    /// <summary>
    /// The one exception the client throws for a failed call: the kind, the HTTP status, the
    /// server's own message, and the request's method and path (never its query string or token).
    /// </summary>
    public sealed class StudioApiException : Exception
    {
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

        public StudioErrorKind Kind { get; }
        public HttpStatusCode? StatusCode { get; }
        public string? ServerMessage { get; }
        public string? Method { get; }
        public string? Path { get; }

        /// <summary>
        /// True when a write may or may not have happened on the server (a time-out or a dropped
        /// connection after the request was sent). Callers must check before trying again.
        /// </summary>
        public bool OutcomeUnknown { get; }

        public TimeSpan? RetryAfter { get; }

        /// <summary>Stable id for scripts: <c>Studio.NotFound</c>, <c>Studio.Timeout</c>...</summary>
        public string ErrorId => "Studio." + Kind;
    }
}
