using System;

namespace StudioPS.Session;

/// <summary>A device sign-in that ended without a token: the code expired, or the wait timed out.</summary>
public sealed class DeviceLoginException : Exception
{
    /// <summary>Creates the exception with its reason and text.</summary>
    public DeviceLoginException(DeviceLoginFailure failure, string message) : base(message)
    {
        Failure = failure;
    }

    /// <summary>Expired or timed out.</summary>
    public DeviceLoginFailure Failure { get; }

    /// <summary>Stable id for scripts: <c>Studio.DeviceCodeExpired</c> or <c>Studio.DeviceLoginTimedOut</c>.</summary>
    public string ErrorId => Failure == DeviceLoginFailure.Expired ? "Studio.DeviceCodeExpired" : "Studio.DeviceLoginTimedOut";
}
