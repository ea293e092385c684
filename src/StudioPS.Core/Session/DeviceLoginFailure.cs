namespace StudioPS.Session;

/// <summary>Why a device sign-in ended without a token, when the server did not fail outright.</summary>
public enum DeviceLoginFailure
{
    /// <summary>The code expired before anyone approved it (the server said <c>authorization_expired</c>, or its lifetime passed).</summary>
    Expired,

    /// <summary>The caller's -TimeoutSec passed first.</summary>
    TimedOut,
}
