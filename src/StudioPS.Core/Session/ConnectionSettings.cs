using System;
using System.Net;
using StudioPS.Http;
using StudioPS.Input;
using StudioPS.Models;

namespace StudioPS.Session;

/// <summary>
/// Resolves token, team and URL in the official client's order: parameter, then environment
/// variable, then the merged datachain config files, then the default URL. Checks the URL.
/// </summary>
internal static class ConnectionSettings
{
    public const string TokenVariable = "DATACHAIN_STUDIO_TOKEN";
    public const string TeamVariable = "DATACHAIN_STUDIO_TEAM";
    public const string UrlVariable = "DATACHAIN_STUDIO_URL";
    public static readonly Uri DefaultBaseUri = new Uri("https://studio.datachain.ai");

    public static ResolvedSettings Resolve(StudioConnectionOptions request, Func<string, string?> environment, DatachainConfig config)
    {
        var result = new ResolvedSettings();

        if (!string.IsNullOrWhiteSpace(request.Token))
        {
            result.Token = request.Token!.Trim();
            result.TokenSource = request.TokenSource;
        }
        else if (!string.IsNullOrWhiteSpace(environment(TokenVariable)))
        {
            result.Token = environment(TokenVariable)!.Trim();
            result.TokenSource = SettingSource.Environment;
            result.TokenSourcePath = TokenVariable;
        }
        else if (config.Get("studio.token") is ConfigValue token && !string.IsNullOrWhiteSpace(token.Value))
        {
            result.Token = token.Value.Trim();
            result.TokenSource = SettingSource.ConfigFile;
            result.TokenSourcePath = token.Path;
        }

        if (!string.IsNullOrWhiteSpace(request.Team))
        {
            result.Team = request.Team!.Trim();
            result.TeamSource = SettingSource.Parameter;
        }
        else if (!string.IsNullOrWhiteSpace(environment(TeamVariable)))
        {
            result.Team = environment(TeamVariable)!.Trim();
            result.TeamSource = SettingSource.Environment;
            result.TeamSourcePath = TeamVariable;
        }
        else if (config.Get("studio.team") is ConfigValue team && !string.IsNullOrWhiteSpace(team.Value))
        {
            result.Team = team.Value.Trim();
            result.TeamSource = SettingSource.ConfigFile;
            result.TeamSourcePath = team.Path;
        }

        string? url = null;
        string parameterName = "BaseUri";
        if (!string.IsNullOrWhiteSpace(request.BaseUri))
        {
            url = request.BaseUri;
            result.BaseUriSource = SettingSource.Parameter;
        }
        else if (!string.IsNullOrWhiteSpace(environment(UrlVariable)))
        {
            url = environment(UrlVariable);
            result.BaseUriSource = SettingSource.Environment;
            result.BaseUriSourcePath = UrlVariable;
            parameterName = UrlVariable;
        }
        else if (config.Get("studio.url") is ConfigValue configUrl && !string.IsNullOrWhiteSpace(configUrl.Value))
        {
            url = configUrl.Value;
            result.BaseUriSource = SettingSource.ConfigFile;
            result.BaseUriSourcePath = configUrl.Path;
            parameterName = "studio.url in " + configUrl.Path;
        }
        result.BaseUri = url == null ? DefaultBaseUri : NormalizeBaseUri(url, parameterName);
        CheckTransport(result.BaseUri, request.AllowUnencryptedAuthentication, parameterName);
        CheckProjectUrl(result, config.Get("studio.url"));
        CheckToken(result);
        return result;
    }

    /// <summary>
    /// A project's <c>.datachain/config</c> (a cloned repository, say) may name a Studio URL, but the
    /// token goes there only when it comes from that same file: a token from -Token, the environment
    /// or the global config is never sent to an address a repository chose.
    /// </summary>
    private static void CheckProjectUrl(ResolvedSettings result, ConfigValue? url)
    {
        if (result.BaseUriSource != SettingSource.ConfigFile || url == null || !url.FromProject || result.Token == null) return;
        if (result.TokenSource == SettingSource.ConfigFile && string.Equals(result.TokenSourcePath, url.Path, StringComparison.Ordinal)) return;
        var tokenFrom = result.TokenSource == SettingSource.Parameter ? "the -Token parameter"
            : result.TokenSource == SettingSource.Environment ? "the environment variable " + TokenVariable
            : "the config file '" + result.TokenSourcePath + "'";
        throw new StudioInputException("ProjectUrlWithOtherToken", "BaseUri",
            $"The Studio URL '{result.BaseUri}' comes from the project config '{url.Path}', but the token comes from {tokenFrom}; " +
            "StudioPS does not send a token to an address a project's config names unless the token is in that same file. " +
            $"If you trust that address, pass -BaseUri '{result.BaseUri}' or set {UrlVariable}; otherwise remove studio.url from '{url.Path}'.");
    }

    /// <summary>A token goes into a header: a control character or an inner space is a paste gone wrong, caught before any request.</summary>
    private static void CheckToken(ResolvedSettings result)
    {
        var token = result.Token;
        if (token == null) return;
        foreach (var c in token)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c > '\u007e')
                throw new StudioInputException("InvalidToken", "Token",
                    "The token" + (result.TokenSourcePath != null ? " from " + result.TokenSourcePath : string.Empty) +
                    " holds a space, a control character or a non-ASCII character, which no Studio token has. Copy it again (Studio: Settings, Tokens).");
        }
    }

    /// <summary>
    /// The Studio URL as users know it (<c>https://studio.datachain.ai</c>): absolute http(s), no
    /// query or fragment, no path but an optional trailing <c>/api</c> (the module adds that itself).
    /// </summary>
    public static Uri NormalizeBaseUri(string value, string parameterName = "BaseUri")
    {
        var text = value.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new StudioInputException("InvalidBaseUri", parameterName,
                $"{parameterName} '{value}' is not an absolute http or https URL. Use the Studio address, for example https://studio.datachain.ai.");
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new StudioInputException("InvalidBaseUri", parameterName,
                $"{parameterName} '{value}' has a query or fragment. Use only the Studio address, for example https://studio.datachain.ai.");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new StudioInputException("InvalidBaseUri", parameterName,
                $"{parameterName} must not hold a user name or password; pass the token with -Token.");
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.Equals("/api", StringComparison.OrdinalIgnoreCase)) path = string.Empty;
        if (path.Length != 0)
            throw new StudioInputException("InvalidBaseUri", parameterName,
                $"{parameterName} '{value}' has a path ('{uri.AbsolutePath}'). Use only the Studio address, for example https://studio.datachain.ai; the module adds /api itself.");
        return new Uri(uri.GetLeftPart(UriPartial.Authority));
    }

    public static bool IsLoopback(Uri uri) => StudioOrigin.IsLoopback(uri);

    /// <summary>A token never travels in clear text to another machine unless the caller says so.</summary>
    public static void CheckTransport(Uri baseUri, bool allowUnencrypted, string parameterName = "BaseUri")
    {
        if (baseUri.Scheme == Uri.UriSchemeHttp && !allowUnencrypted && !IsLoopback(baseUri))
            throw new StudioInputException("UnencryptedAuthentication", parameterName,
                $"{parameterName} '{baseUri}' uses http:// to a host that is not this machine, which would send the token unencrypted. " +
                "Use https://, or pass -AllowUnencryptedAuthentication if you accept that risk.");
    }

    /// <summary><c>isat_****</c> plus at most the last 4 characters: enough to tell tokens apart, never enough to use one.</summary>
    public static string MaskToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return string.Empty;
        var prefix = token!.StartsWith("isat_", StringComparison.Ordinal) ? "isat_" : string.Empty;
        var tail = token.Length >= 16 ? token.Substring(token.Length - 4) : string.Empty;
        return prefix + "****" + tail;
    }
}
