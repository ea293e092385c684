using System;
using System.Net;

namespace StudioPS.Client;

/// <summary>What went wrong, in the terms a caller acts on. Each kind has a stable error id.</summary>
public enum StudioErrorKind
{
    /// <summary>400: the server refused the input.</summary>
    BadRequest,
    /// <summary>401: the token was not accepted.</summary>
    Unauthorized,
    /// <summary>403: the token may not do this (team, scopes).</summary>
    Forbidden,
    /// <summary>404, or the thing asked for does not exist.</summary>
    NotFound,
    /// <summary>409: it exists already or is in the wrong state.</summary>
    Conflict,
    /// <summary>429: too many requests.</summary>
    RateLimited,
    /// <summary>5xx: the server failed.</summary>
    ServerError,
    /// <summary>No complete answer in time.</summary>
    Timeout,
    /// <summary>The network path failed (refused, reset, DNS).</summary>
    ConnectionFailed,
    /// <summary>The TLS handshake or certificate check failed.</summary>
    TlsFailure,
    /// <summary>The answer was not what the API documents (malformed, HTML).</summary>
    InvalidResponse,
    /// <summary>The server answered but said it did not carry out the action.</summary>
    OperationFailed,
    /// <summary>Any other HTTP failure.</summary>
    HttpError,
}
