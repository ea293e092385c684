using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Http;
using StudioPS.Models;

namespace StudioPS.Client;

public sealed partial class StudioClient
{
    /// <summary>
    /// A POST whose reply the service does not promise (cancel, pause, resume): any 2xx is success,
    /// whatever its body: JSON, <c>{}</c>, empty or text, as the official client reads none of it. A JSON
    /// object body is read when it is one; otherwise the result is null.
    /// </summary>
    internal async Task<T?> PostActionAsync<T>(string relativePath, object body, IStudioTrace trace, CancellationToken cancellationToken) where T : class
    {
        using var response = await SendAsync(HttpMethod.Post, relativePath, null, JsonContent(body), new RequestPolicy(), trace, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var start = 0;
        while (start < bytes.Length && (bytes[start] == ' ' || bytes[start] == '\t' || bytes[start] == '\r' || bytes[start] == '\n')) start++;
        if (start == bytes.Length || bytes[start] != (byte)'{') return null;
        try
        {
            return JsonSerializer.Deserialize<T>(new System.ReadOnlySpan<byte>(bytes, start, bytes.Length - start), StudioJson.Options);
        }
        catch (JsonException)
        {
            if (trace.VerboseEnabled) trace.Verbose($"POST /api/{relativePath} succeeded; its reply is not JSON and is not needed.");
            return null;
        }
    }
}
