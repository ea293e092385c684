using StudioPS.Models;
using StudioPS.Session;
using StudioPS.Core.Tests.Support;
using Xunit;
using StudioPS.Input;

namespace StudioPS.Core.Tests.Session;

public class TomlConfigReaderTests
{
    [Fact]
    public void Reads_the_studio_table_as_datachain_writes_it()
    {
        var values = TomlConfigReader.Parse("""
            # written by datachain auth login
            [studio]
            url = "https://studio.example.com"
            token = "isat_abc"   # trailing comment
            team = 'my-team'
            """);
        Assert.Equal("https://studio.example.com", values["studio.url"]);
        Assert.Equal("isat_abc", values["studio.token"]);
        Assert.Equal("my-team", values["studio.team"]);
    }

    [Fact]
    public void Reads_dotted_and_quoted_keys_escapes_and_multiline_strings()
    {
        var values = TomlConfigReader.Parse("studio.team = \"a\\tb\"\n[\"core\"]\n\"x.y\" = 1\nflag = true\ns = \"\"\"\nline1\nline2\"\"\"\n");
        Assert.Equal("a\tb", values["studio.team"]);
        Assert.Equal("1", values["core.x.y"]);
        Assert.Equal("true", values["core.flag"]);
        Assert.Equal("line1\nline2", values["core.s"]);
    }

    [Fact]
    public void Skips_what_it_does_not_need_without_failing()
    {
        var values = TomlConfigReader.Parse("[remote]\nurls = [\"a\", \"b\"]\ninline = { a = 1 }\n[[plugins]]\nname = \"p\"\n[studio]\nteam = \"t\"\n");
        Assert.Equal("t", values["studio.team"]);
        Assert.False(values.ContainsKey("remote.urls"));
        Assert.False(values.ContainsKey("remote.name"));
    }
}

public class ConnectionSettingsTests : IDisposable
{
    private readonly ConfigFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public void Config_files_merge_system_then_global_then_local_later_wins()
    {
        _folders.Temp.Write("system/config", "[studio]\nurl = \"https://system.example\"\nteam = \"sys-team\"\ntoken = \"isat_system\"\n");
        _folders.Temp.Write("global/config", "[studio]\nteam = \"global-team\"\ntoken = \"isat_global\"\n");
        var local = _folders.Temp.Write("project/.datachain/config", "[studio]\ntoken = \"isat_local\"\n");
        var settings = _folders.Resolve();
        Assert.Equal("isat_local", settings.Token);
        Assert.Equal(SettingSource.ConfigFile, settings.TokenSource);
        Assert.Equal(local, settings.TokenSourcePath);
        Assert.Equal("global-team", settings.Team);
        Assert.Equal(new Uri("https://system.example"), settings.BaseUri);
    }

    [Fact]
    public void DATACHAIN_DIR_names_the_local_config_folder()
    {
        _folders.Variables["DATACHAIN_DIR"] = Path.Combine(_folders.Temp.Path, "elsewhere");
        _folders.Temp.Write("elsewhere/config", "[studio]\nteam = \"dir-team\"\n");
        _folders.Temp.Write("project/.datachain/config", "[studio]\nteam = \"ignored\"\n");
        Assert.Equal("dir-team", _folders.Resolve().Team);
    }

    [Fact]
    public void Environment_variables_win_over_config()
    {
        _folders.Temp.Write("global/config", "[studio]\nurl = \"https://config.example\"\nteam = \"cfg\"\ntoken = \"isat_cfg\"\n");
        _folders.Variables["DATACHAIN_STUDIO_TOKEN"] = "isat_env";
        _folders.Variables["DATACHAIN_STUDIO_TEAM"] = "env-team";
        _folders.Variables["DATACHAIN_STUDIO_URL"] = "https://env.example/";
        var settings = _folders.Resolve();
        Assert.Equal("isat_env", settings.Token);
        Assert.Equal(SettingSource.Environment, settings.TokenSource);
        Assert.Equal("DATACHAIN_STUDIO_TOKEN", settings.TokenSourcePath);
        Assert.Equal("env-team", settings.Team);
        Assert.Equal(new Uri("https://env.example"), settings.BaseUri);
        Assert.Equal(SettingSource.Environment, settings.BaseUriSource);
    }

    [Fact]
    public void Parameters_win_over_everything()
    {
        _folders.Variables["DATACHAIN_STUDIO_TOKEN"] = "isat_env";
        _folders.Variables["DATACHAIN_STUDIO_TEAM"] = "env-team";
        _folders.Variables["DATACHAIN_STUDIO_URL"] = "https://env.example";
        var settings = _folders.Resolve(new StudioConnectionOptions { Token = "isat_param", Team = "param-team", BaseUri = "https://param.example" });
        Assert.Equal(("isat_param", SettingSource.Parameter), (settings.Token, settings.TokenSource));
        Assert.Equal(("param-team", SettingSource.Parameter), (settings.Team, settings.TeamSource));
        Assert.Equal(new Uri("https://param.example"), settings.BaseUri);
    }

    [Fact]
    public void With_nothing_set_the_url_is_the_public_Studio_and_there_is_no_token()
    {
        var settings = _folders.Resolve();
        Assert.Null(settings.Token);
        Assert.Null(settings.Team);
        Assert.Equal(new Uri("https://studio.datachain.ai"), settings.BaseUri);
        Assert.Equal(SettingSource.Default, settings.BaseUriSource);
    }

    [Theory]
    [InlineData("https://studio.example/", "https://studio.example/")]
    [InlineData("https://studio.example/api", "https://studio.example/")]
    [InlineData("https://studio.example/api/", "https://studio.example/")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    public void A_base_uri_is_the_Studio_address(string input, string expected) =>
        Assert.Equal(expected, ConnectionSettings.NormalizeBaseUri(input).AbsoluteUri);

    [Theory]
    [InlineData("https://studio.example/some/path")]
    [InlineData("https://studio.example/?team=x")]
    [InlineData("https://studio.example/#frag")]
    [InlineData("ftp://studio.example")]
    [InlineData("studio.example")]
    [InlineData("https://user:pw@studio.example")]
    public void A_bad_base_uri_is_refused_naming_the_parameter(string input)
    {
        var error = Assert.Throws<StudioInputException>(() => ConnectionSettings.NormalizeBaseUri(input));
        Assert.Equal("InvalidBaseUri", error.ErrorId);
        Assert.Equal("BaseUri", error.ParamName);
        Assert.StartsWith("BaseUri", error.Message);
    }

    [Fact]
    public void A_bad_url_from_the_environment_names_the_variable()
    {
        _folders.Variables["DATACHAIN_STUDIO_URL"] = "https://x.example/path";
        var error = Assert.Throws<StudioInputException>(() => _folders.Resolve());
        Assert.Contains("DATACHAIN_STUDIO_URL", error.Message);
    }

    [Theory]
    [InlineData("http://studio.example", false, true)]
    [InlineData("http://studio.example", true, false)]
    [InlineData("http://127.0.0.1:8080", false, false)]
    [InlineData("http://localhost:8080", false, false)]
    [InlineData("http://[::1]:8080", false, false)]
    [InlineData("https://studio.example", false, false)]
    public void Plain_http_to_another_host_needs_AllowUnencryptedAuthentication(string url, bool allow, bool refused)
    {
        var request = new StudioConnectionOptions { Token = "isat_x", BaseUri = url, AllowUnencryptedAuthentication = allow };
        if (refused)
            Assert.Equal("UnencryptedAuthentication", Assert.Throws<StudioInputException>(() => _folders.Resolve(request)).ErrorId);
        else
            Assert.Equal(new Uri(url).Host, _folders.Resolve(request).BaseUri.Host);
    }

    [Theory]
    [InlineData("isat_AbCdEfGhIjKlMnOpQrSt1234", "isat_****1234")]
    [InlineData("someothertokenvalue9876", "****9876")]
    [InlineData("isat_short", "isat_****")]
    [InlineData("", "")]
    public void The_token_is_masked_to_the_prefix_and_at_most_4_last_characters(string token, string masked) =>
        Assert.Equal(masked, ConnectionSettings.MaskToken(token));

    [Fact]
    public void No_token_anywhere_is_a_clear_error_naming_the_ways_to_give_one()
    {
        var error = Assert.Throws<StudioInputException>(() => StudioConnection.Open(new StudioConnectionOptions { TimeoutSec = 10, MaxRetries = 0, UserAgent = "ua", Environment = _folders.Environment, CurrentDirectory = _folders.Temp.Path }));
        Assert.Equal("TokenNotFound", error.ErrorId);
        Assert.Contains("-Token", error.Message);
        Assert.Contains("DATACHAIN_STUDIO_TOKEN", error.Message);
        Assert.Contains("datachain auth login", error.Message);
    }

    [Fact]
    public void No_token_names_every_file_searched_and_the_one_file_datachain_auth_login_writes()
    {
        var error = Assert.Throws<StudioInputException>(() => StudioConnection.Open(new StudioConnectionOptions { TimeoutSec = 10, MaxRetries = 0, UserAgent = "ua", Environment = _folders.Environment, CurrentDirectory = _folders.Temp.Path }));
        foreach (var file in DatachainConfig.Locate(_folders.Environment, _folders.Temp.Path))
            Assert.Contains(file, error.Message);
        var global = System.IO.Path.Combine(DatachainConfig.GlobalDirectory(_folders.Environment), "config");
        var writes = error.Message.Substring(error.Message.IndexOf("writes the token to ", StringComparison.Ordinal) + "writes the token to ".Length);
        Assert.Equal(global + ".", writes);
        Assert.Contains("Connect-Studio -UseDeviceCode -Save", error.Message);
    }

    [Fact]
    public void A_connection_shows_where_its_token_came_from_but_never_the_token()
    {
        var path = _folders.Temp.Write("global/config", "[studio]\ntoken = \"isat_FromTheConfigFile0000abcd\"\nteam = \"t\"\n");
        using var connection = StudioConnection.Open(new StudioConnectionOptions { TimeoutSec = 10, MaxRetries = 0, UserAgent = "ua", Environment = _folders.Environment, CurrentDirectory = _folders.Temp.Path });
        Assert.Equal(SettingSource.ConfigFile, connection.TokenSource);
        Assert.Equal(path, connection.TokenSourcePath);
        Assert.Equal("isat_****abcd", connection.MaskedToken);
        Assert.Equal(new Uri("https://studio.datachain.ai/api/"), connection.ApiUri);
        foreach (var property in typeof(StudioConnection).GetProperties())
        {
            if (!property.GetMethod!.IsPublic) continue;
            var value = property.GetValue(connection)?.ToString() ?? string.Empty;
            Assert.DoesNotContain("FromTheConfig", value);
        }
    }
}
