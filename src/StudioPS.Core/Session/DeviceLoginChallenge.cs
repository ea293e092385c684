using System;
using StudioPS.Waiting;

namespace StudioPS.Session;

/// <summary>What <c>POST /api/device-login</c> answers: the code a person approves in the browser and where the module asks for the token.</summary>
internal sealed class DeviceLoginChallenge
{
    public DeviceLoginChallenge(string deviceCode, string userCode, Uri verificationUri, Uri tokenUri, string? tokenName, int expiresInSeconds, TimeSpan? interval)
    {
        DeviceCode = deviceCode;
        UserCode = userCode;
        VerificationUri = verificationUri;
        TokenUri = tokenUri;
        TokenName = tokenName;
        ExpiresInSeconds = expiresInSeconds;
        Interval = interval;
        Expires = expiresInSeconds > 0 ? Deadline.After(TimeSpan.FromSeconds(expiresInSeconds)) : (Deadline?)null;
    }

    /// <summary>The secret half: sent only to the token URI, never shown or traced.</summary>
    public string DeviceCode { get; }

    /// <summary>The half a person sees and types or confirms in the browser.</summary>
    public string UserCode { get; }

    public Uri VerificationUri { get; }
    public Uri TokenUri { get; }
    public string? TokenName { get; }

    /// <summary>Seconds the code stays valid; 0 when the server did not say.</summary>
    public int ExpiresInSeconds { get; }

    /// <summary>The poll interval the server asked for, if it sent one.</summary>
    public TimeSpan? Interval { get; }

    /// <summary>When the code expires, counted from when the answer was read; null when the server did not say.</summary>
    public Deadline? Expires { get; }

    /// <summary>The page to open: the verification URI with the user code, as the official client builds it.</summary>
    public Uri BrowserUri
    {
        get
        {
            var text = VerificationUri.AbsoluteUri;
            var separator = string.IsNullOrEmpty(VerificationUri.Query) ? "?" : "&";
            return new Uri(text + separator + "code=" + Uri.EscapeDataString(UserCode));
        }
    }
}
