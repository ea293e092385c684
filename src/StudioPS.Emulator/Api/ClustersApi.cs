using StudioPS.Emulator.Auth;

namespace StudioPS.Emulator.Api;

/// <summary>GET /api/datachain/clusters/ — the bare array (or the older wrapped form when that option is on).</summary>
public static class ClustersApi
{
    public static void Map(WebApplication app, Emulator emu)
    {
        app.MapGet("/api/datachain/clusters", ctx =>
        {
            var grant = emu.Auth.Authenticate(ctx);
            // team_name is optional here; when given it must be one the token may use.
            string? team = ctx.Request.Query["team_name"];
            emu.Auth.Authorize(ctx, grant, string.IsNullOrEmpty(team) ? null : team, "CLUSTER", Access.Read);
            return Json.WriteBytesAsync(ctx, emu.Options.WrapLists ? emu.Clusters.WrappedJson : emu.Clusters.BareJson);
        });
    }
}
