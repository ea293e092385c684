using System;
using System.Threading;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>How one request may be treated by the handler chain.</summary>
internal sealed class RequestPolicy
{
    /// <summary>Read the whole body inside the retry loop, so a body cut short is retried for reads.</summary>
    public bool BufferResponse { get; set; } = true;

    /// <summary>Overrides the connection's per-request time-out; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Whether to write the request body to the debug trace (off for file uploads).</summary>
    public bool TraceRequestBody { get; set; } = true;

    /// <summary>Send no Authorization header: the request goes to another origin (an archived log's storage).</summary>
    public bool Anonymous { get; set; }

    /// <summary>Trace the URL without its query: a presigned URL's query is a credential.</summary>
    public bool HideQueryInTrace { get; set; }
}
