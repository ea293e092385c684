using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Session;

/// <summary>
/// A token saved where every Studio tool reads it, as <c>datachain auth login / logout / team</c>
/// do: read one level's file, refuse to overwrite a token for the same Studio, save, revoke and forget.
/// </summary>
internal static class SavedLogin
{
    /// <summary>The <c>[studio]</c> values of one file (all null when it does not exist).</summary>
    public static SavedStudioSettings Read(string path)
    {
        var config = DatachainConfig.Load(new[] { path });
        string? Value(string key) => config.Get(key) is ConfigValue v && !string.IsNullOrWhiteSpace(v.Value) ? v.Value.Trim() : null;
        return new SavedStudioSettings(path, Value("studio.url"), Value("studio.token"), Value("studio.team"));
    }

    /// <summary>
    /// True when the file already holds a token for <paramref name="baseUri"/> (its url, or the default
    /// Studio when it names none): the official CLI refuses to log in over it.
    /// </summary>
    public static bool HasTokenFor(SavedStudioSettings saved, Uri baseUri)
    {
        if (saved.Token == null) return false;
        Uri savedUri;
        try
        {
            savedUri = saved.Url == null ? ConnectionSettings.DefaultBaseUri : ConnectionSettings.NormalizeBaseUri(saved.Url);
        }
        catch (Input.StudioInputException)
        {
            // A url the module cannot read is not the one being signed in to; its token is still kept unless -Force.
            return false;
        }
        return Uri.Compare(savedUri, baseUri, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
    }

    /// <summary>Writes url, token and (when known) team, keeping everything else in the file.</summary>
    public static void Save(string path, Uri baseUri, string token, string? team)
    {
        var values = new Dictionary<string, string?>
        {
            ["url"] = baseUri.GetLeftPart(UriPartial.Authority),
            ["token"] = token,
        };
        if (team != null) values["team"] = team;
        DatachainConfigWriter.Update(path, values);
    }

    /// <summary>Removes <c>studio.token</c> and <c>studio.team</c>, as <c>datachain auth logout</c> does after revoking.</summary>
    public static bool Forget(string path) =>
        DatachainConfigWriter.Update(path, new Dictionary<string, string?> { ["token"] = null, ["team"] = null });

    /// <summary>Sets (or with null removes) <c>studio.team</c>, as <c>datachain auth team NAME</c> does.</summary>
    public static bool SetTeam(string path, string? team) =>
        DatachainConfigWriter.Update(path, new Dictionary<string, string?> { ["team"] = team });

    /// <summary>
    /// The Studio a saved token is revoked at: DATACHAIN_STUDIO_URL, else the file's own url, else the
    /// merged config's, else the default.
    /// </summary>
    public static Uri RevokeAddress(SavedStudioSettings saved, Func<string, string?> environment, string currentDirectory)
    {
        var fromEnvironment = environment(ConnectionSettings.UrlVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return ConnectionSettings.NormalizeBaseUri(fromEnvironment!, ConnectionSettings.UrlVariable);
        if (saved.Url != null) return ConnectionSettings.NormalizeBaseUri(saved.Url, "studio.url in " + saved.Path);
        var merged = DatachainConfig.Load(environment, currentDirectory).Get("studio.url");
        return merged != null && !string.IsNullOrWhiteSpace(merged.Value)
            ? ConnectionSettings.NormalizeBaseUri(merged.Value, "studio.url in " + merged.Path)
            : ConnectionSettings.DefaultBaseUri;
    }

    /// <summary>
    /// Revokes the connection's token (<c>POST device-logout</c>). True when Studio revoked it now,
    /// false when it answered 401 (already revoked); any other failure is thrown and nothing is forgotten.
    /// </summary>
    public static async Task<bool> RevokeAsync(StudioConnection connection, IStudioTrace trace, CancellationToken cancellationToken)
    {
        try
        {
            await connection.Client.RevokeTokenAsync(trace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StudioApiException error) when (error.Kind == StudioErrorKind.Unauthorized)
        {
            return false;
        }
    }
}
