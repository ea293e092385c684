using System.Net;
using System.Text.Json;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Session;
using Xunit;

namespace StudioPS.Core.Tests.Session;

public class DeviceLoginFlowTests
{
    private static readonly Uri Studio = new("https://studio.example.com");

    private const string Start = """
        {"device_code": "dev-secret-123", "user_code": "ABCD-EFGH", "verification_uri": "https://studio.example.com/auth/device",
         "token_uri": "https://studio.example.com/api/device-login/token", "token_name": "my-laptop", "expires_in": 900}
        """;

    private static DeviceLoginFlow Flow(HttpMessageHandler handler) =>
        new(Studio, allowUnencrypted: false, "StudioPS-tests", TimeSpan.FromSeconds(30), maxRetries: 0, handler) { PollInterval = TimeSpan.FromMilliseconds(1) };

    private static string Pending => """{"detail": "authorization_pending"}""";

    [Fact]
    public async Task Starts_without_a_token_and_reads_the_challenge()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Start);
        using var flow = Flow(fake);
        var challenge = await flow.StartAsync(new DeviceLoginOptions { TokenName = "my-laptop", Scopes = new[] { "JOB", "PIPELINE" }, ExpiresInDays = 30 },
            new RecordingTrace(), CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://studio.example.com/api/device-login", request.RequestUri!.AbsoluteUri);
        Assert.Null(fake.AuthorizationHeaders[0]);
        using var body = JsonDocument.Parse(fake.Bodies[0]!);
        Assert.Equal("StudioPS", body.RootElement.GetProperty("client_name").GetString());
        Assert.Equal("my-laptop", body.RootElement.GetProperty("token_name").GetString());
        Assert.Equal(new[] { "JOB", "PIPELINE" }, body.RootElement.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(30, body.RootElement.GetProperty("expires_in_days").GetInt32());

        Assert.Equal("ABCD-EFGH", challenge.UserCode);
        Assert.Equal("dev-secret-123", challenge.DeviceCode);
        Assert.Equal("https://studio.example.com/auth/device?code=ABCD-EFGH", challenge.BrowserUri.AbsoluteUri);
        Assert.Equal(900, challenge.ExpiresInSeconds);
        Assert.Null(challenge.Interval);
    }

    [Fact]
    public async Task Sends_the_client_name_and_the_official_CLI_default_lifetime_of_365_days_when_nothing_else_is_asked()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Start);
        using var flow = Flow(fake);
        await flow.StartAsync(new DeviceLoginOptions(), new RecordingTrace(), CancellationToken.None);
        Assert.Equal("""{"client_name":"StudioPS","expires_in_days":365}""", fake.Bodies[0]);
    }

    [Fact]
    public void Polls_every_5_seconds_when_the_server_names_no_interval_as_the_official_client_does()
    {
        using var flow = new DeviceLoginFlow(Studio, allowUnencrypted: false, "StudioPS-tests", TimeSpan.FromSeconds(30), maxRetries: 0, new FakeHandler());
        Assert.Equal(TimeSpan.FromSeconds(5), flow.PollInterval);
    }

    [Fact]
    public async Task Polls_the_token_uri_with_the_device_code_until_approved()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Start)
            .Respond(HttpStatusCode.BadRequest, Pending).Respond(HttpStatusCode.BadRequest, Pending)
            .Respond(HttpStatusCode.OK, """{"access_token": "isat_newtoken0000000000"}""");
        using var flow = Flow(fake);
        var trace = new RecordingTrace();
        var challenge = await flow.StartAsync(new DeviceLoginOptions(), trace, CancellationToken.None);
        var token = await flow.WaitForTokenAsync(challenge, null, trace, CancellationToken.None);

        Assert.Equal("isat_newtoken0000000000", token);
        Assert.Equal(4, fake.Calls);
        foreach (var i in new[] { 1, 2, 3 })
        {
            Assert.Equal("https://studio.example.com/api/device-login/token", fake.Requests[i].RequestUri!.AbsoluteUri);
            Assert.Equal("""{"code":"dev-secret-123"}""", fake.Bodies[i]);
            Assert.Null(fake.AuthorizationHeaders[i]);
        }
        // Neither the device code nor the token reaches the trace.
        Assert.DoesNotContain("dev-secret-123", trace.All);
        Assert.DoesNotContain("isat_newtoken", trace.All);
        Assert.Contains("ABCD-EFGH", trace.All);
    }

    [Fact]
    public async Task Fails_clearly_when_the_code_expired()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Start)
            .Respond(HttpStatusCode.BadRequest, Pending)
            .Respond(HttpStatusCode.BadRequest, """{"detail": "authorization_expired"}""");
        using var flow = Flow(fake);
        var challenge = await flow.StartAsync(new DeviceLoginOptions(), new RecordingTrace(), CancellationToken.None);
        var error = await Assert.ThrowsAsync<DeviceLoginException>(() => flow.WaitForTokenAsync(challenge, null, new RecordingTrace(), CancellationToken.None));
        Assert.Equal(DeviceLoginFailure.Expired, error.Failure);
        Assert.Equal("Studio.DeviceCodeExpired", error.ErrorId);
        Assert.Contains("ABCD-EFGH expired", error.Message);
    }

    [Fact]
    public async Task Gives_up_when_the_caller_time_runs_out()
    {
        var handler = new Answering(_ => (HttpStatusCode.BadRequest, Pending));
        using var flow = Flow(handler);
        var challenge = Challenge(expiresIn: 900);
        var error = await Assert.ThrowsAsync<DeviceLoginException>(() =>
            flow.WaitForTokenAsync(challenge, TimeSpan.FromMilliseconds(30), new RecordingTrace(), CancellationToken.None));
        Assert.Equal(DeviceLoginFailure.TimedOut, error.Failure);
        Assert.Contains("-TimeoutSec", error.Message);
        Assert.True(handler.Calls >= 1);
    }

    [Fact]
    public async Task Stops_at_the_code_lifetime_when_the_server_never_says_expired()
    {
        var handler = new Answering(_ => (HttpStatusCode.BadRequest, Pending));
        using var flow = Flow(handler);
        var error = await Assert.ThrowsAsync<DeviceLoginException>(() =>
            flow.WaitForTokenAsync(Challenge(expiresIn: 1), null, new RecordingTrace(), CancellationToken.None));
        Assert.Equal(DeviceLoginFailure.Expired, error.Failure);
    }

    [Fact]
    public async Task Ends_at_once_when_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var handler = new Answering(_ => { cancel.Cancel(); return (HttpStatusCode.BadRequest, Pending); });
        using var flow = Flow(handler);
        flow.PollInterval = TimeSpan.FromHours(1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flow.WaitForTokenAsync(Challenge(900), null, new RecordingTrace(), cancel.Token));
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Honours_the_interval_the_server_names()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Start.Replace("\"expires_in\": 900", "\"expires_in\": 900, \"interval\": 0.25"));
        using var flow = Flow(fake);
        var challenge = await flow.StartAsync(new DeviceLoginOptions(), new RecordingTrace(), CancellationToken.None);
        Assert.Equal(TimeSpan.FromMilliseconds(250), challenge.Interval);
    }

    [Fact]
    public async Task Does_not_follow_a_redirect_from_the_token_uri()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.Found, null, configure: r => r.Headers.Location = new Uri("https://elsewhere.example/steal"));
        using var flow = Flow(fake);
        var error = await Assert.ThrowsAsync<StudioApiException>(() => flow.WaitForTokenAsync(Challenge(900), null, new RecordingTrace(), CancellationToken.None));
        Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("redirect (302)", error.Message);
        Assert.Equal(1, fake.Calls);
    }

    [Fact]
    public async Task Reports_the_server_detail_when_the_start_is_refused()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.BadRequest, """{"detail": "Invalid scope: FOO"}""");
        using var flow = Flow(fake);
        var error = await Assert.ThrowsAsync<StudioApiException>(() => flow.StartAsync(new DeviceLoginOptions(), new RecordingTrace(), CancellationToken.None));
        Assert.Equal(StudioErrorKind.BadRequest, error.Kind);
        Assert.Equal("Invalid scope: FOO", error.ServerMessage);
    }

    [Fact]
    public async Task Refuses_a_plain_http_token_uri_on_another_machine()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Start.Replace("https://studio.example.com/api/device-login/token", "http://evil.example/token"));
        using var flow = Flow(fake);
        var error = await Assert.ThrowsAsync<StudioApiException>(() => flow.StartAsync(new DeviceLoginOptions(), new RecordingTrace(), CancellationToken.None));
        Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("token_uri", error.Message);
    }

    [Fact]
    public async Task Refuses_a_verification_uri_that_is_not_http()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Start.Replace("https://studio.example.com/auth/device", "file:///etc/passwd"));
        using var flow = Flow(fake);
        var error = await Assert.ThrowsAsync<StudioApiException>(() => flow.StartAsync(new DeviceLoginOptions(), new RecordingTrace(), CancellationToken.None));
        Assert.Contains("verification_uri", error.Message);
    }

    private static DeviceLoginChallenge Challenge(int expiresIn) =>
        new("dev-secret-123", "ABCD-EFGH", new Uri("https://studio.example.com/auth/device"),
            new Uri("https://studio.example.com/api/device-login/token"), null, expiresIn, null);

    /// <summary>Answers every request the same way, as a server that never changes its mind.</summary>
    private sealed class Answering(Func<HttpRequestMessage, (HttpStatusCode Status, string Body)> answer) : HttpMessageHandler
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var (status, body) = answer(request);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"), RequestMessage = request });
        }
    }
}
