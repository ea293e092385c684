using System;
using System.Net.Http;
using System.Threading;

namespace StudioPS.Client
{
    /// <summary>
    /// Where a call's trace goes. The cmdlet layer implements it by queueing messages for the
    /// pipeline thread; the client never touches PowerShell itself.
    /// </summary>
    public interface IStudioTrace
    {
        bool VerboseEnabled { get; }
        bool DebugEnabled { get; }
        void Verbose(string message);
        void Debug(string message);
    }

    internal sealed class NullTrace : IStudioTrace
    {
        public static NullTrace Instance { get; } = new NullTrace();
        public bool VerboseEnabled => false;
        public bool DebugEnabled => false;
        public void Verbose(string message) { }
        public void Debug(string message) { }
    }

    /// <summary>How one request may be treated by the handler chain.</summary>
    internal sealed class RequestPolicy
    {
        /// <summary>May the retry handler send it again at all (false for a streamed upload body)?</summary>
        public bool Retryable { get; set; } = true;

        /// <summary>Read the whole body inside the retry loop, so a body cut short is retried for reads.</summary>
        public bool BufferResponse { get; set; } = true;

        /// <summary>Overrides the connection's per-request time-out; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Whether to write the request body to the debug trace (off for file uploads).</summary>
        public bool TraceRequestBody { get; set; } = true;
    }

    /// <summary>Carries a call's trace and policy through the handler chain on the request itself.</summary>
    internal static class RequestProperties
    {
        private const string TraceKey = "StudioPS.Trace";
        private const string PolicyKey = "StudioPS.Policy";

        public static void Set(HttpRequestMessage request, IStudioTrace trace, RequestPolicy policy)
        {
#pragma warning disable CS0618 // Properties is the netstandard2.0 way; newer runtimes map it to Options.
            request.Properties[TraceKey] = trace;
            request.Properties[PolicyKey] = policy;
        }

        public static IStudioTrace GetTrace(HttpRequestMessage request) =>
            request.Properties.TryGetValue(TraceKey, out var value) && value is IStudioTrace trace ? trace : NullTrace.Instance;

        public static RequestPolicy GetPolicy(HttpRequestMessage request) =>
            request.Properties.TryGetValue(PolicyKey, out var value) && value is RequestPolicy policy ? policy : new RequestPolicy();
#pragma warning restore CS0618
    }
}
