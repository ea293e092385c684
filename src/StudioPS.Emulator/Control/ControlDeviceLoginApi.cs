using System.Text.Json;
using StudioPS.Emulator.Api;

namespace StudioPS.Emulator.Control;

/// <summary>Control endpoints for device sign-ins: list them, and approve or expire a pending code as the person in the browser would.</summary>
public static partial class ControlApi
{
    static void MapDeviceLogins(RouteGroupBuilder c, Emulator emu)
    {
        c.MapGet("/device-logins", ctx => Handle(ctx, () => Json.WriteAsync(ctx, w =>
        {
            w.WriteStartArray();
            foreach (var login in emu.DeviceLogins.Snapshot()) login.Write(w);
            w.WriteEndArray();
        })));

        // {"interval": seconds or null, "expires_in": seconds}: how new sign-ins are answered.
        c.MapPost("/device-logins/settings", ctx => Handle(ctx, async () =>
        {
            var body = Req.RequireObject(await Req.ReadJsonAsync(ctx));
            double? interval = Req.OptDouble(body, "interval");
            int? expiresIn = Req.OptInt(body, "expires_in");
            if (interval is { } i && !(i > 0 && i <= 60)) throw new Req.BadRequest("interval must be more than 0 and at most 60 seconds");
            if (expiresIn is < 1) throw new Req.BadRequest("expires_in must be at least 1");
            if (body.TryGetProperty("interval", out var raw)) emu.DeviceLogins.IntervalSeconds = raw.ValueKind == JsonValueKind.Null ? null : interval;
            if (expiresIn is { } e) emu.DeviceLogins.ExpiresInSeconds = e;
            await Ok(ctx);
        }));

        // {"teams": [...]} optional: the teams the approving person lets the token use.
        c.MapPost("/device-logins/{userCode}/approve", ctx => Handle(ctx, async () =>
        {
            var login = Find(ctx, emu);
            var body = ctx.Request.ContentLength is > 0 ? Req.RequireObject(await Req.ReadJsonAsync(ctx)) : Req.EmptyObject;
            List<string>? teams = null;
            if (body.TryGetProperty("teams", out var t) && t.ValueKind == JsonValueKind.Array)
                teams = t.EnumerateArray().Select(x => x.GetString() ?? "").Where(x => x.Length > 0).ToList();
            var grant = DeviceLoginApi.Grant(emu, login, teams);
            if (!emu.DeviceLogins.Approve(login, grant.Token))
                throw new ApiException(409, $"Sign-in {login.UserCode} is {login.State.ToString().ToLowerInvariant()}, not pending");
            emu.Auth.Add(grant);
            await Json.WriteAsync(ctx, w => { w.WriteStartObject(); w.WriteBoolean("ok", true); w.WriteString("token", grant.Token); w.WriteEndObject(); });
        }));

        c.MapPost("/device-logins/{userCode}/expire", ctx => Handle(ctx, async () =>
        {
            var login = Find(ctx, emu);
            if (!emu.DeviceLogins.Expire(login))
                throw new ApiException(409, $"Sign-in {login.UserCode} is {login.State.ToString().ToLowerInvariant()}, not pending");
            await Ok(ctx);
        }));
    }

    static State.DeviceLogin Find(HttpContext ctx, Emulator emu)
    {
        string code = (string)ctx.Request.RouteValues["userCode"]!;
        return emu.DeviceLogins.ByUserCode(code) ?? throw new ApiException(404, $"No sign-in with user code {code}");
    }
}
