using System.Security.Cryptography;
using System.Text;
using StudioPS.Emulator.Api;

namespace StudioPS.Emulator.Control;

/// <summary>
/// Lets a /_emulator request through only with the control token the emulator printed at start (header
/// X-Emulator-Control) and a loopback Host header. A web page in a browser on the same machine can send
/// requests to 127.0.0.1 but knows no token, and a DNS-rebound name is not a loopback Host.
/// </summary>
public sealed class ControlGuard(RequestDelegate next, Emulator emu)
{
    public const string HeaderName = "X-Emulator-Control";

    public Task InvokeAsync(HttpContext ctx)
    {
        string path = ctx.Request.Path.Value ?? "";
        if (!path.Equals("/_emulator", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWith("/_emulator/", StringComparison.OrdinalIgnoreCase))
            return next(ctx);
        if (!IsLoopbackHost(ctx.Request.Host.Host))
            return Json.ErrorAsync(ctx, 403, "message", "The control API answers only requests whose Host is 127.0.0.1, localhost or [::1].");
        string given = ctx.Request.Headers[HeaderName].ToString();
        if (!TokenMatches(given, emu.Config.ControlToken))
            return Json.ErrorAsync(ctx, 401, "message",
                $"The control API needs the {HeaderName} header with the control token the emulator printed at start (ControlToken: ...).");
        return next(ctx);
    }

    public static bool IsLoopbackHost(string? host) =>
        host is not null && (host == "127.0.0.1" || host == "[::1]" || host == "::1"
                             || host.Equals("localhost", StringComparison.OrdinalIgnoreCase));

    static bool TokenMatches(string given, string expected)
    {
        var a = Encoding.UTF8.GetBytes(given);
        var b = Encoding.UTF8.GetBytes(expected);
        return a.Length == b.Length && CryptographicOperations.FixedTimeEquals(a, b);
    }
}
