using StudioPS.Emulator.Settings;

namespace StudioPS.Emulator.Auth;

/// <summary>Per-request facts the request log may keep: never the token, only the scheme word.</summary>
public sealed class ApiRequestInfo
{
    public string? AuthScheme { get; set; }
    public string? Team { get; set; }
    public string? FaultId { get; set; }
    /// <summary>The client went away mid-request (logged with status 0).</summary>
    public bool Aborted { get; set; }
    /// <summary>
    /// Records the request now instead of when it ends: a followed websocket may stay open for minutes and
    /// tests want to see each (re)connection as it happens.
    /// </summary>
    public Action<int>? RecordNow { get; set; }
}

/// <summary>
/// Checks the Authorization header the way the real service's framework does: 401 without credentials or
/// with an unknown token, 403 for a team or scope the token lacks. Bearer (documented) and token (official
/// client) are both accepted, scheme case-insensitive.
/// </summary>
public sealed class Authenticator
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, TokenGrant> _tokens;
    readonly HashSet<string> _teams;
    readonly EmulatorConfig _cfg;

    public Authenticator(EmulatorConfig cfg)
    {
        _cfg = cfg;
        _tokens = new(StringComparer.Ordinal);
        foreach (var t in cfg.AllTokens()) _tokens[t.Token] = t;
        _teams = new HashSet<string>(cfg.Teams, StringComparer.Ordinal);
    }

    /// <summary>A token issued by an approved device sign-in starts working at once.</summary>
    public void Add(TokenGrant grant) => _tokens[grant.Token] = grant;

    /// <summary>Device logout: the token gets 401 everywhere from now on. False when it was not known.</summary>
    public bool Revoke(string token) => _tokens.TryRemove(token, out _);

    /// <summary>Back to the tokens of the settings: issued ones forgotten, revoked ones working again.</summary>
    public void Reset()
    {
        _tokens.Clear();
        foreach (var t in _cfg.AllTokens()) _tokens[t.Token] = t;
    }

    public bool TeamExists(string team) => _teams.Contains(team);

    public static ApiRequestInfo Info(HttpContext ctx)
    {
        var info = ctx.Features.Get<ApiRequestInfo>();
        if (info is null)
        {
            info = new ApiRequestInfo();
            ctx.Features.Set(info);
        }
        return info;
    }

    /// <summary>Classifies the scheme word for the request log without ever keeping an unknown word (it could be a token).</summary>
    public static string? SchemeForLog(HttpContext ctx)
    {
        string? header = ctx.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return null;
        int space = header.IndexOf(' ');
        if (space <= 0) return "none";
        var scheme = header.AsSpan(0, space);
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return "Bearer";
        if (scheme.Equals("token", StringComparison.OrdinalIgnoreCase)) return "token";
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)) return "Basic";
        return "other";
    }

    public TokenGrant Authenticate(HttpContext ctx)
    {
        string? header = ctx.Request.Headers.Authorization;
        if (string.IsNullOrWhiteSpace(header))
            throw new ApiException(401, "Authentication credentials were not provided.", "detail");
        header = header.Trim();
        int space = header.IndexOf(' ');
        if (space <= 0)
            throw new ApiException(401, "Authentication credentials were not provided.", "detail");
        var scheme = header.AsSpan(0, space);
        if (!scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("token", StringComparison.OrdinalIgnoreCase))
            throw new ApiException(401, "Authentication credentials were not provided.", "detail");
        string token = header[(space + 1)..].Trim();
        if (token.Length == 0 || token.Contains(' '))
            throw new ApiException(401, "Invalid token header.", "detail");
        if (!_tokens.TryGetValue(token, out var grant))
            throw new ApiException(401, "Invalid token.", "detail");
        return grant;
    }

    /// <summary>Checks team access then scope access; records the team for the request log.</summary>
    public void Authorize(HttpContext ctx, TokenGrant grant, string? team, string scope, Access need)
    {
        if (team is not null) Info(ctx).Team = team;
        if (team is not null && (!_teams.Contains(team) || !grant.Teams.Contains(team)))
            throw new ApiException(403, $"Not authorized for the team {team}", "detail");
        if (grant.AccessTo(scope) < need)
            throw new ApiException(403, $"Token does not have {(need == Access.Write ? "write" : "read")} access to {scope} scope", "detail");
    }

    /// <summary>Authenticates and authorizes in one go for requests whose team is required.</summary>
    public TokenGrant Require(HttpContext ctx, string? team, string scope, Access need)
    {
        var grant = Authenticate(ctx);
        if (string.IsNullOrWhiteSpace(team)) throw new Req.BadRequest("team_name is required");
        Authorize(ctx, grant, team, scope, need);
        return grant;
    }
}
