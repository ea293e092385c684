using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Http;

namespace StudioPS.Client;

public sealed partial class StudioClient
{
    /// <summary>
    /// <c>POST device-logout</c> with the connection's token and no body: Studio revokes the token.
    /// A 401 (the token was already revoked) surfaces as a <see cref="StudioApiException"/> of kind Unauthorized.
    /// </summary>
    public async Task RevokeTokenAsync(IStudioTrace trace, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "device-logout", null, null, new RequestPolicy(), trace, cancellationToken).ConfigureAwait(false);
    }
}
