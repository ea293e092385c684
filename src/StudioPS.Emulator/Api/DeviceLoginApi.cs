using System.Text.Json;
using StudioPS.Emulator.Auth;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Api;

/// <summary>
/// Signing in and out as the official client does it: POST /api/device-login (no token) starts a device
/// sign-in, POST /api/device-login/token with {"code": device_code} polls it (400 authorization_pending,
/// 400 authorization_expired, 200 {"access_token"}), POST /api/device-logout revokes the caller's token.
/// </summary>
public static class DeviceLoginApi
{
    /// <summary>Scopes a sign-in may ask for: the API document's and those of the official client's device flow.</summary>
    static readonly string[] KnownScopes = ["JOB", "PIPELINE", "DATASET", "CLUSTER", "EXPERIMENTS", "DATASETS", "MODELS"];

    public static void Map(WebApplication app, Emulator emu)
    {
        app.MapPost("/api/device-login", async ctx =>
        {
            var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
            string? client = Req.OptString(body, "client_name");
            if (string.IsNullOrWhiteSpace(client)) throw new ApiException(400, "client_name is required", "detail");
            string? tokenName = Req.OptString(body, "token_name");
            var scopes = new List<string>();
            if (body.TryGetProperty("scopes", out var s) && s.ValueKind != JsonValueKind.Null)
            {
                if (s.ValueKind != JsonValueKind.Array) throw new ApiException(400, "scopes must be a list", "detail");
                foreach (var item in s.EnumerateArray())
                {
                    string scope = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim().ToUpperInvariant() : "";
                    if (!KnownScopes.Contains(scope)) throw new ApiException(400, $"Invalid scope: {item}", "detail");
                    if (!scopes.Contains(scope)) scopes.Add(scope);
                }
            }
            int? days = Req.OptInt(body, "expires_in_days");
            if (days is < 1) throw new ApiException(400, "expires_in_days must be at least 1", "detail");

            var login = emu.DeviceLogins.Start(client, tokenName, scopes, days);
            await Json.WriteAsync(ctx, w =>
            {
                w.WriteStartObject();
                w.WriteString("device_code", login.DeviceCode);
                w.WriteString("user_code", login.UserCode);
                w.WriteString("verification_uri", $"{emu.BaseUrl}/auth/device");
                w.WriteString("token_uri", $"{emu.BaseUrl}/api/device-login/token");
                w.WriteString("token_name", login.TokenName);
                w.WriteNumber("expires_in", emu.DeviceLogins.ExpiresInSeconds);
                if (emu.DeviceLogins.IntervalSeconds is { } interval) w.WriteNumber("interval", interval);
                w.WriteEndObject();
            });
        });

        app.MapPost("/api/device-login/token", async ctx =>
        {
            var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
            string? code = Req.OptString(body, "code");
            if (string.IsNullOrWhiteSpace(code)) throw new ApiException(400, "code is required", "detail");
            var login = emu.DeviceLogins.ByDeviceCode(code) ?? throw new ApiException(400, "invalid_code", "detail");
            var (state, token) = emu.DeviceLogins.Poll(login);
            switch (state)
            {
                case DeviceLoginState.Approved:
                    await Json.WriteAsync(ctx, w => { w.WriteStartObject(); w.WriteString("access_token", token); w.WriteEndObject(); });
                    return;
                case DeviceLoginState.Pending:
                    throw new ApiException(400, "authorization_pending", "detail");
                default:
                    throw new ApiException(400, "authorization_expired", "detail");
            }
        });

        // The verification_uri a client tells the person to open. Studio shows a sign-in page there; the
        // emulator has nobody to sign in, so it says how to approve the code through the control API (never
        // showing the control token, which a page open in a browser must not learn). A code is echoed only
        // when it is one the emulator issued.
        app.MapGet("/auth/device", async ctx =>
        {
            string? asked = ctx.Request.Query["code"];
            string code = asked is { Length: > 0 } && emu.DeviceLogins.ByUserCode(asked) is { } login ? login.UserCode : "<code>";
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            ctx.Response.Headers["X-Content-Type-Options"] = "nosniff";
            await ctx.Response.WriteAsync(
                "StudioPS emulator: here Studio would ask you to sign in and approve the code " + code + ".\n" +
                "The emulator has no sign-in page. Approve the code through its control API, with the\n" +
                "ControlToken it printed at start-up:\n\n" +
                $"  curl -X POST -H 'X-Emulator-Control: <ControlToken>' -d '{{\"teams\": [\"{emu.Config.DefaultTeam}\"]}}' {emu.BaseUrl}/_emulator/device-logins/{code}/approve\n\n" +
                "See docs/EMULATOR.md, Device sign-ins.\n");
        });

        app.MapPost("/api/device-logout", async ctx =>
        {
            var grant = emu.Auth.Authenticate(ctx);
            emu.Auth.Revoke(grant.Token);
            await Json.MessageAsync(ctx, "Token revoked");
        });
    }

    /// <summary>The token a person's approval creates: the teams they chose (default all), write access to the scopes asked for (default all).</summary>
    public static TokenGrant Grant(Emulator emu, DeviceLogin login, IReadOnlyCollection<string>? teams)
    {
        var scopes = login.Scopes.Count == 0 ? TokenGrant.AllScopes.ToList()
            : login.Scopes.Select(s => s == "DATASETS" ? "DATASET" : s).Where(TokenGrant.AllScopes.Contains).ToList();
        return new TokenGrant
        {
            Token = Settings.EmulatorConfig.NewToken(),
            Teams = new HashSet<string>(teams is { Count: > 0 } ? teams : emu.Config.Teams, StringComparer.Ordinal),
            Scopes = scopes.ToDictionary(s => s, _ => Access.Write, StringComparer.OrdinalIgnoreCase),
            User = "emulator-user",
        };
    }
}
