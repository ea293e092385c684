namespace StudioPS.Emulator.Auth;

public enum Access { None = 0, Read = 1, Write = 2 }

/// <summary>What one token may do: which teams, and read or write per scope (JOB, PIPELINE, DATASET, CLUSTER).</summary>
public sealed class TokenGrant
{
    public static readonly string[] AllScopes = ["JOB", "PIPELINE", "DATASET", "CLUSTER"];

    public required string Token { get; init; }
    public required HashSet<string> Teams { get; init; }
    public required Dictionary<string, Access> Scopes { get; init; }
    /// <summary>Shown as created_by on the jobs this token creates.</summary>
    public string User { get; init; } = "emulator-user";

    public Access AccessTo(string scope) => Scopes.TryGetValue(scope, out var a) ? a : Access.None;

    public static TokenGrant Create(string token, string team, Access access, string user) => new()
    {
        Token = token,
        Teams = new HashSet<string>(StringComparer.Ordinal) { team },
        Scopes = AllScopes.ToDictionary(s => s, _ => access, StringComparer.OrdinalIgnoreCase),
        User = user,
    };
}
