using System.Security.Cryptography;
using System.Text.Json;

namespace StudioPS.Emulator.State;

public enum DeviceLoginState { Pending, Approved, Expired, Consumed }

/// <summary>One device sign-in: the secret device code, the code a person sees, what was asked for, and where it stands.</summary>
public sealed class DeviceLogin
{
    public required string DeviceCode { get; init; }
    public required string UserCode { get; init; }
    public required string ClientName { get; init; }
    public required string TokenName { get; init; }
    public required List<string> Scopes { get; init; }
    public int? ExpiresInDays { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime ExpiresAt { get; init; }
    public DeviceLoginState State { get; set; }
    public string? Token { get; set; }
    public int Polls { get; set; }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("user_code", UserCode);
        w.WriteString("client_name", ClientName);
        w.WriteString("token_name", TokenName);
        w.WriteStartArray("scopes");
        foreach (var s in Scopes) w.WriteStringValue(s);
        w.WriteEndArray();
        Json.WriteInt(w, "expires_in_days", ExpiresInDays);
        w.WriteString("state", State.ToString().ToLowerInvariant());
        w.WriteNumber("polls", Polls);
        w.WriteString("created_at", Json.Time(CreatedAt));
        w.WriteString("expires_at", Json.Time(ExpiresAt));
        w.WriteEndObject();
    }
}

/// <summary>
/// The device sign-ins the emulator has started. A code is pending until the control API approves or
/// expires it (as the person in the browser would) or its lifetime passes; an approved code hands out
/// its token once, then counts as expired.
/// </summary>
public sealed class DeviceLogins
{
    readonly object _lock = new();
    readonly List<DeviceLogin> _all = [];

    /// <summary>Seconds a new code lives (the expires_in the start answer carries).</summary>
    public int ExpiresInSeconds { get; set; } = DefaultExpiresIn;
    /// <summary>The poll interval sent as "interval" in the start answer; null (the real service's way) sends none.</summary>
    public double? IntervalSeconds { get; set; }

    const int DefaultExpiresIn = 900;

    public DeviceLogin Start(string clientName, string? tokenName, List<string> scopes, int? expiresInDays)
    {
        var now = DateTime.UtcNow;
        var login = new DeviceLogin
        {
            DeviceCode = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40),
            UserCode = RandomNumberGenerator.GetString("BCDFGHJKLMNPQRSTVWXZ", 4) + "-" + RandomNumberGenerator.GetString("BCDFGHJKLMNPQRSTVWXZ", 4),
            ClientName = clientName,
            TokenName = string.IsNullOrWhiteSpace(tokenName) ? $"{clientName}-{now:yyyyMMdd-HHmmss}" : tokenName,
            Scopes = scopes,
            ExpiresInDays = expiresInDays,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(ExpiresInSeconds),
        };
        lock (_lock) _all.Add(login);
        return login;
    }

    public DeviceLogin? ByDeviceCode(string code)
    {
        lock (_lock) return _all.FirstOrDefault(l => CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(l.DeviceCode), System.Text.Encoding.UTF8.GetBytes(code)));
    }

    public DeviceLogin? ByUserCode(string code)
    {
        lock (_lock) return _all.FirstOrDefault(l => string.Equals(l.UserCode, code, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What a poll of the token URI sees; moves an outlived code to Expired and a collected one to Consumed.</summary>
    public (DeviceLoginState State, string? Token) Poll(DeviceLogin login)
    {
        lock (_lock)
        {
            login.Polls++;
            if (login.State == DeviceLoginState.Pending && DateTime.UtcNow >= login.ExpiresAt) login.State = DeviceLoginState.Expired;
            if (login.State != DeviceLoginState.Approved) return (login.State, null);
            login.State = DeviceLoginState.Consumed;
            return (DeviceLoginState.Approved, login.Token);
        }
    }

    /// <summary>Approves a pending code with a token; false when it is no longer pending.</summary>
    public bool Approve(DeviceLogin login, string token)
    {
        lock (_lock)
        {
            if (login.State == DeviceLoginState.Pending && DateTime.UtcNow >= login.ExpiresAt) login.State = DeviceLoginState.Expired;
            if (login.State != DeviceLoginState.Pending) return false;
            login.State = DeviceLoginState.Approved;
            login.Token = token;
            return true;
        }
    }

    public bool Expire(DeviceLogin login)
    {
        lock (_lock)
        {
            if (login.State != DeviceLoginState.Pending) return false;
            login.State = DeviceLoginState.Expired;
            return true;
        }
    }

    public List<DeviceLogin> Snapshot()
    {
        lock (_lock) return [.. _all];
    }

    public void Reset()
    {
        lock (_lock) _all.Clear();
        ExpiresInSeconds = DefaultExpiresIn;
        IntervalSeconds = null;
    }
}
