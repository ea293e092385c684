using System.Net.Http;
using StudioPS.Client;

namespace StudioPS.Http;

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
