using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Http;
using StudioPS.Models;
using StudioPS.Waiting;

namespace StudioPS.Session;

/// <summary>
/// The device sign-in of the official client (<c>dvc-studio-client</c>'s auth): <c>POST
/// {studio}/api/device-login</c> without a token, then <c>POST {token_uri}</c> with the device
/// code until a person approves it in the browser, the code expires, the caller's time runs out or
/// the call is cancelled. Its own HttpClient carries no token and follows no redirects; nothing it
/// traces holds the device code or the token.
/// </summary>
internal sealed class DeviceLoginFlow : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _apiUri;
    private readonly bool _allowUnencrypted;

    public DeviceLoginFlow(Uri baseUri, bool allowUnencrypted, string userAgent, TimeSpan requestTimeout, int maxRetries,
        HttpMessageHandler? primaryHandler = null)
    {
        _apiUri = new Uri(baseUri, "/api/");
        _allowUnencrypted = allowUnencrypted;
        var chain = new RetryHandler(new RetryPolicy(maxRetries))
        {
            InnerHandler = new TimeoutHandler(requestTimeout)
            {
                InnerHandler = primaryHandler ?? StudioHttp.CreateNetworkHandler(StudioHttp.UseProxyFor(baseUri)),
            },
        };
        _http = new HttpClient(chain, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
    }

    /// <summary>The pause between polls when the server names none; the official client waits 5 s. Tests shorten it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Asks Studio for a device code.</summary>
    public async Task<DeviceLoginChallenge> StartAsync(DeviceLoginOptions options, IStudioTrace trace, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object> { ["client_name"] = options.ClientName };
        if (!string.IsNullOrEmpty(options.TokenName)) body["token_name"] = options.TokenName!;
        if (options.Scopes != null && options.Scopes.Count > 0) body["scopes"] = options.Scopes;
        // The key follows the official CLI's parameter name (dvc-studio-client's expires_in_days); no Studio document names it.
        body["expires_in_days"] = options.ExpiresInDays;
        var uri = new Uri(_apiUri, "device-login");

        using var response = await PostAsync(uri, body, trace, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await ErrorMapper.FromResponseAsync(response, "POST", uri.AbsolutePath, Redactor.None, cancellationToken).ConfigureAwait(false);
        var root = await ReadObjectAsync(response, uri).ConfigureAwait(false);

        var deviceCode = RequiredString(root, "device_code", uri);
        var userCode = RequiredString(root, "user_code", uri);
        var verification = Absolute(RequiredString(root, "verification_uri", uri), "verification_uri", uri);
        var tokenUri = Absolute(RequiredString(root, "token_uri", uri), "token_uri", uri);
        if (tokenUri.Scheme == Uri.UriSchemeHttp && !_allowUnencrypted && !ConnectionSettings.IsLoopback(tokenUri))
            throw Invalid(uri, $"its token_uri '{tokenUri.GetLeftPart(UriPartial.Path)}' is plain http to another machine, where the new token would travel unencrypted.");
        var expiresIn = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 0;
        TimeSpan? interval = null;
        if (root.TryGetProperty("interval", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetDouble(out var wait) && wait > 0)
            interval = TimeSpan.FromSeconds(Math.Min(Math.Max(wait, 0.01), 60));
        var tokenName = root.TryGetProperty("token_name", out var n) && n.ValueKind == JsonValueKind.String ? JsonText.SafeString(n) : null;
        return new DeviceLoginChallenge(deviceCode, userCode, verification, tokenUri, tokenName, expiresIn, interval);
    }

    /// <summary>
    /// Polls the token URI until the code is approved (returns the token), expires or the
    /// <paramref name="timeout"/> passes (<see cref="DeviceLoginException"/>), or the server fails
    /// (<see cref="StudioApiException"/>). Cancellation ends the wait at once.
    /// </summary>
    public async Task<string> WaitForTokenAsync(DeviceLoginChallenge challenge, TimeSpan? timeout, IStudioTrace trace, CancellationToken cancellationToken)
    {
        var interval = challenge.Interval ?? PollInterval;
        var expiresAt = challenge.Expires;
        var timeoutAt = Polling.DeadlineAfter(timeout);
        var timesOutFirst = timeoutAt.HasValue && (!expiresAt.HasValue || timeoutAt.Value.IsBefore(expiresAt.Value));
        var deadline = timesOutFirst ? timeoutAt : expiresAt;
        var body = new Dictionary<string, object> { ["code"] = challenge.DeviceCode };
        var path = challenge.TokenUri.AbsolutePath;

        for (var round = 1; ; round++)
        {
            using (var response = await PostAsync(challenge.TokenUri, body, trace, cancellationToken).ConfigureAwait(false))
            {
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    var root = await ReadObjectAsync(response, challenge.TokenUri).ConfigureAwait(false);
                    if (!root.TryGetProperty("access_token", out var token) || token.ValueKind != JsonValueKind.String
                        || string.IsNullOrWhiteSpace(token.GetString()))
                        throw Invalid(challenge.TokenUri, "it has no access_token.");
                    return token.GetString()!.Trim();
                }
                if (status >= 300 && status < 400)
                    throw Invalid(challenge.TokenUri, $"it is a redirect ({status}), which a sign-in poll does not follow.");
                var detail = status == 400 ? await DetailAsync(response).ConfigureAwait(false) : null;
                switch (detail)
                {
                    case "authorization_pending":
                        break;
                    case "slow_down":
                        interval += TimeSpan.FromSeconds(5);
                        break;
                    case "authorization_expired":
                        throw Expired(challenge);
                    default:
                        throw await ErrorMapper.FromResponseAsync(response, "POST", path, Redactor.None, cancellationToken).ConfigureAwait(false);
                }
            }
            if (trace.VerboseEnabled)
                trace.Verbose(string.Format(CultureInfo.InvariantCulture, "Sign-in code {0} not approved yet (poll {1}); asking again in {2:0.###} s.",
                    challenge.UserCode, round, interval.TotalSeconds));
            if (!await Polling.NextRoundAsync(interval, deadline, cancellationToken).ConfigureAwait(false))
            {
                if (timesOutFirst)
                    throw new DeviceLoginException(DeviceLoginFailure.TimedOut, string.Format(CultureInfo.InvariantCulture,
                        "Nobody approved the sign-in code {0} within {1:0.###} s (-TimeoutSec). Run Connect-Studio -UseDeviceCode again, and approve the code at {2}.",
                        challenge.UserCode, timeout!.Value.TotalSeconds, challenge.VerificationUri));
                throw Expired(challenge);
            }
        }
    }

    private static DeviceLoginException Expired(DeviceLoginChallenge challenge) =>
        new DeviceLoginException(DeviceLoginFailure.Expired,
            $"The sign-in code {challenge.UserCode} expired before it was approved. Run Connect-Studio -UseDeviceCode again for a new code, and approve it at {challenge.VerificationUri} before it expires.");

    private async Task<HttpResponseMessage> PostAsync(Uri uri, object body, IStudioTrace trace, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = StudioClient.JsonContent(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        RequestProperties.Set(request, trace, new RequestPolicy { TraceRequestBody = false });
        try
        {
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (trace.VerboseEnabled)
                trace.Verbose(string.Format(CultureInfo.InvariantCulture, "POST {0} -> {1}", uri.GetLeftPart(UriPartial.Path), (int)response.StatusCode));
            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error) when (!(error is StudioApiException))
        {
            throw ErrorMapper.FromException(error, "POST", uri.AbsolutePath, uri.Authority, Redactor.None);
        }
    }

    private static async Task<JsonElement> ReadObjectAsync(HttpResponseMessage response, Uri uri)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Invalid(uri, "it is not a JSON object.");
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw Invalid(uri, "it is not JSON.");
        }
    }

    private static async Task<string?> DetailAsync(HttpResponseMessage response)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("detail", out var d)
                && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string RequiredString(JsonElement root, string name, Uri uri)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            var text = JsonText.SafeString(value);
            if (!string.IsNullOrWhiteSpace(text)) return text!.Trim();
        }
        throw Invalid(uri, $"it has no {name}.");
    }

    /// <summary>A URL from the server, relative ones taken against Studio's own address; only http(s) is ever used or opened.</summary>
    private Uri Absolute(string value, string name, Uri uri)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var absolute) && !Uri.TryCreate(_apiUri, value, out absolute))
            throw Invalid(uri, $"its {name} is not a URL.");
        if (absolute.Scheme != Uri.UriSchemeHttps && absolute.Scheme != Uri.UriSchemeHttp)
            throw Invalid(uri, $"its {name} is not an http or https URL.");
        return absolute;
    }

    private static StudioApiException Invalid(Uri uri, string why) =>
        new StudioApiException(StudioErrorKind.InvalidResponse, $"The sign-in answer from POST {uri.AbsolutePath} is not what Studio sends: {why}",
            null, null, "POST", uri.AbsolutePath);

    public void Dispose() => _http.Dispose();
}
