using System.Net;
using System.Net.Sockets;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Input;
using StudioPS.Session;
using Xunit;

namespace StudioPS.Core.Tests.Session;

public class SavedLoginTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly Dictionary<string, string?> _env = new();

    public SavedLoginTests()
    {
        _env["DATACHAIN_GLOBAL_CONFIG_DIR"] = Path.Combine(_temp.Path, "global");
        _env["DATACHAIN_SYSTEM_CONFIG_DIR"] = Path.Combine(_temp.Path, "system");
        _env["DATACHAIN_ROOT_DIR"] = Path.Combine(_temp.Path, "project");
    }

    public void Dispose() => _temp.Dispose();

    private string? Env(string name) => _env.GetValueOrDefault(name);

    private StudioConnection Connection(HttpMessageHandler handler) =>
        StudioConnection.Open(new StudioConnectionOptions
        {
            Token = "isat_savedtoken00000000",
            BaseUri = "https://studio.example.com",
            TimeoutSec = 30,
            MaxRetries = 3,
            UserAgent = "StudioPS-tests",
            Environment = Env,
            CurrentDirectory = _temp.Path,
            PrimaryHandler = handler,
        });

    [Fact]
    public void Knows_a_token_saved_for_the_same_studio()
    {
        var saved = new SavedStudioSettings("c", "https://Studio.Example.com/", "isat_x", null);
        Assert.True(SavedLogin.HasTokenFor(saved, new Uri("https://studio.example.com")));
        Assert.False(SavedLogin.HasTokenFor(saved, new Uri("https://other.example.com")));
        // No url in the file means the default Studio, as the official CLI reads it.
        Assert.True(SavedLogin.HasTokenFor(new SavedStudioSettings("c", null, "isat_x", null), ConnectionSettings.DefaultBaseUri));
        Assert.False(SavedLogin.HasTokenFor(new SavedStudioSettings("c", "https://studio.example.com", null, "t"), new Uri("https://studio.example.com")));
    }

    [Fact]
    public void Saves_url_token_and_team_and_reads_them_back()
    {
        var path = DatachainConfigWriter.PathOf(ConfigScope.Local, Env, _temp.Path);
        SavedLogin.Save(path, new Uri("https://studio.example.com/"), "isat_abc", "t1");
        var saved = SavedLogin.Read(path);
        Assert.Equal(("https://studio.example.com", "isat_abc", "t1"), (saved.Url, saved.Token, saved.Team));
        Assert.Equal(Path.Combine(_temp.Path, "project", ".datachain", "config"), path);

        // The merged view every cmdlet uses sees the saved values too.
        var settings = ConnectionSettings.Resolve(new StudioConnectionOptions(), Env, DatachainConfig.Load(Env, _temp.Path));
        Assert.Equal("isat_abc", settings.Token);
        Assert.Equal(path, settings.TokenSourcePath);
        Assert.Equal(path, settings.TeamSourcePath);
        Assert.Equal(path, settings.BaseUriSourcePath);

        Assert.True(SavedLogin.Forget(path));
        saved = SavedLogin.Read(path);
        Assert.Equal(("https://studio.example.com", (string?)null, (string?)null), (saved.Url, saved.Token, saved.Team));
    }

    [Fact]
    public void Revokes_at_the_address_the_environment_or_the_file_names()
    {
        var saved = new SavedStudioSettings("c", "https://file.example.com", "isat_x", null);
        Assert.Equal("https://file.example.com/", SavedLogin.RevokeAddress(saved, Env, _temp.Path).AbsoluteUri);
        _env["DATACHAIN_STUDIO_URL"] = "https://env.example.com/api";
        Assert.Equal("https://env.example.com/", SavedLogin.RevokeAddress(saved, Env, _temp.Path).AbsoluteUri);
        _env.Remove("DATACHAIN_STUDIO_URL");
        Assert.Equal(ConnectionSettings.DefaultBaseUri, SavedLogin.RevokeAddress(new SavedStudioSettings("c", null, "isat_x", null), Env, _temp.Path));
    }

    [Fact]
    public async Task Revoking_posts_device_logout_with_the_token_and_no_body()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, "{}");
        using var connection = Connection(fake);
        Assert.True(await SavedLogin.RevokeAsync(connection, new RecordingTrace(), CancellationToken.None));
        var request = Assert.Single(fake.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://studio.example.com/api/device-logout", request.RequestUri!.AbsoluteUri);
        Assert.Equal("Bearer isat_savedtoken00000000", fake.AuthorizationHeaders[0]);
        Assert.Null(fake.Bodies[0]);
    }

    [Fact]
    public async Task A_401_means_already_revoked()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.Unauthorized, """{"detail": "Invalid token."}""");
        using var connection = Connection(fake);
        Assert.False(await SavedLogin.RevokeAsync(connection, new RecordingTrace(), CancellationToken.None));
    }

    [Fact]
    public async Task A_server_error_fails_and_is_not_sent_twice()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.InternalServerError, """{"message": "boom"}""");
        using var connection = Connection(fake);
        var error = await Assert.ThrowsAsync<StudioApiException>(() => SavedLogin.RevokeAsync(connection, new RecordingTrace(), CancellationToken.None));
        Assert.Equal(StudioErrorKind.ServerError, error.Kind);
        Assert.Equal(1, fake.Calls);
    }

    [Fact]
    public async Task No_answer_fails_as_a_connection_error()
    {
        var fake = new FakeHandler();
        for (var i = 0; i < 4; i++) fake.Throw(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)));
        using var connection = Connection(fake);
        var error = await Assert.ThrowsAsync<StudioApiException>(() => SavedLogin.RevokeAsync(connection, new RecordingTrace(), CancellationToken.None));
        Assert.Equal(StudioErrorKind.ConnectionFailed, error.Kind);
    }
}

public class TokenScopesTests
{
    [Fact]
    public void Upper_cases_splits_and_deduplicates()
    {
        Assert.Equal(new[] { "JOB", "PIPELINE" }, TokenScopes.Check(new[] { "job", "Pipeline,JOB" }));
        Assert.Empty(TokenScopes.Check(null));
    }

    [Fact]
    public void Names_the_parameter_and_the_known_scopes_for_an_unknown_one()
    {
        var error = Assert.Throws<StudioInputException>(() => TokenScopes.Check(new[] { "JOB", "admin" }));
        Assert.Equal("InvalidScope", error.ErrorId);
        Assert.Contains("-Scope 'admin'", error.Message);
        Assert.Contains("JOB, PIPELINE, DATASET, CLUSTER", error.Message);
    }
}
