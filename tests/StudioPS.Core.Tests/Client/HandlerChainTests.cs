using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Http;
using StudioPS.Models;
using Xunit;

namespace StudioPS.Core.Tests.Client;

public class HandlerChainTests
{
    private const string Token = "isat_0123456789abcdefSECRETSECRET";

    private static StudioClient Client(FakeHandler fake, int retries = 3, TimeSpan? timeout = null, string scheme = "Bearer")
    {
        var redactor = new Redactor(Token);
        var http = StudioHttp.Create(new StudioHttpOptions
        {
            AuthScheme = scheme,
            Token = () => Token,
            StudioOrigin = new Uri("https://studio.example"),
            Redactor = redactor,
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
            MaxRetries = retries,
            UserAgent = "StudioPS/0.1.0 PowerShell/Core-7.6.9",
            PrimaryHandler = fake,
            RetryPolicy = new RetryPolicy(retries, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)),
        }, out _);
        return new StudioClient(http, new Uri("https://studio.example/api/"), redactor);
    }

    private const string Clusters = """[{"id":1,"name":"a","status":"ACTIVE","default":true,"max_workers":2}]""";

    [Fact]
    public async Task Sends_the_documented_bearer_header_and_the_user_agent()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Clusters);
        await Client(fake).GetClustersAsync("t1", NullTrace.Instance, default).ToListAsync();
        Assert.Equal("Bearer " + Token, fake.AuthorizationHeaders[0]);
        Assert.Equal("StudioPS/0.1.0 PowerShell/Core-7.6.9", string.Join(" ", fake.Requests[0].Headers.UserAgent));
        Assert.Equal("https://studio.example/api/datachain/clusters/?team_name=t1", fake.Requests[0].RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task Token_scheme_sends_the_official_clients_header()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Clusters);
        await Client(fake, scheme: "token").GetClustersAsync(null, NullTrace.Instance, default).ToListAsync();
        Assert.Equal("token " + Token, fake.AuthorizationHeaders[0]);
    }

    [Fact]
    public async Task A_read_is_retried_after_503_and_succeeds()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.ServiceUnavailable, "{}").Respond(HttpStatusCode.OK, Clusters);
        var clusters = await Client(fake).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync();
        Assert.Equal(2, fake.Calls);
        Assert.Equal("a", Assert.Single(clusters).Name);
    }

    [Fact]
    public async Task A_read_waits_the_servers_Retry_After()
    {
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.TooManyRequests, "{}", configure: r => r.Headers.Add("Retry-After", "1"))
            .Respond(HttpStatusCode.OK, Clusters);
        var watch = Stopwatch.StartNew();
        await Client(fake).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync();
        Assert.Equal(2, fake.Calls);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950), $"waited only {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_read_gives_up_after_MaxRetries_with_the_servers_message()
    {
        var fake = new FakeHandler();
        for (var i = 0; i < 3; i++) fake.Respond(HttpStatusCode.BadGateway, """{"detail":"upstream down"}""");
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Client(fake, retries: 2).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync().AsTask());
        Assert.Equal(3, fake.Calls);
        Assert.Equal(StudioErrorKind.ServerError, error.Kind);
        Assert.Equal("upstream down", error.ServerMessage);
        Assert.Equal("GET", error.Method);
        Assert.Equal("/api/datachain/clusters/", error.Path);
    }

    [Fact]
    public async Task A_write_is_not_retried_after_a_500()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.InternalServerError, """{"message":"boom"}""");
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Client(fake).PostJsonAsync<object>("datachain/jobs/", new { query = "x" }, NullTrace.Instance, default));
        Assert.Equal(1, fake.Calls);
        Assert.True(error.OutcomeUnknown);
        Assert.Contains("may or may not have been carried out", error.Message);
    }

    [Fact]
    public async Task A_write_is_retried_after_429_and_after_a_refused_connection()
    {
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.TooManyRequests, "{}")
            .Throw(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)))
            .Respond(HttpStatusCode.OK, """{"message":"ok"}""");
        await Client(fake).PostJsonAsync<Dictionary<string, object>>("datachain/jobs/x/cancel", new { team_name = "t" }, NullTrace.Instance, default);
        Assert.Equal(3, fake.Calls);
        Assert.All(fake.Bodies, b => Assert.Equal("""{"team_name":"t"}""", b));
    }

    [Fact]
    public async Task A_write_whose_connection_broke_after_sending_is_not_retried_and_says_the_outcome_is_unknown()
    {
        var fake = new FakeHandler().Throw(new HttpRequestException("The response ended prematurely.", new IOException("reset")));
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Client(fake).PostJsonAsync<object>("datachain/jobs/", new { query = "x" }, NullTrace.Instance, default));
        Assert.Equal(1, fake.Calls);
        Assert.Equal(StudioErrorKind.ConnectionFailed, error.Kind);
        Assert.True(error.OutcomeUnknown);
    }

    [Fact]
    public async Task A_slow_answer_is_a_timeout_and_a_read_is_tried_again()
    {
        var firstTimedOut = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fake = new FakeHandler()
            .Hang(cancelled: firstTimedOut)
            // A spare answer: a machine stalled past the time-out during the second attempt makes a third.
            .Respond(HttpStatusCode.OK, Clusters).Respond(HttpStatusCode.OK, Clusters);
        var clusters = await Client(fake, timeout: TimeSpan.FromMilliseconds(200)).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync();
        Assert.True(firstTimedOut.Task.IsCompleted, "the first attempt was not ended by the time-out");
        Assert.InRange(fake.Calls, 2, 3);
        Assert.Single(clusters);
    }

    [Fact]
    public async Task A_timeout_on_every_attempt_becomes_a_Timeout_error()
    {
        var fake = new FakeHandler().Hang().Hang();
        var error = await Assert.ThrowsAsync<StudioApiException>(() =>
            Client(fake, retries: 1, timeout: TimeSpan.FromMilliseconds(100)).GetObjectAsync<object>("datachain/jobs/", null, NullTrace.Instance, default));
        Assert.Equal(StudioErrorKind.Timeout, error.Kind);
        Assert.Equal(2, fake.Calls);
    }

    /// <summary>
    /// Starts the call, waits until <paramref name="reached"/> (the call's own failure shows instead, should it end
    /// first), then cancels it and checks that it ends at once. Timed from the cancellation, so the first use of the
    /// handlers in a cold process is not counted.
    /// </summary>
    private static async Task CancelOnceReached(Func<CancellationToken, Task> start, Task reached)
    {
        using var cts = new CancellationTokenSource();
        var call = start(cts.Token);
        Assert.Same(reached, await Task.WhenAny(reached, call, Task.Delay(TimeSpan.FromSeconds(60))));
        var watch = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Cancellation_ends_a_hung_call_at_once_and_is_not_retried()
    {
        var reached = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fake = new FakeHandler().Hang(reached);
        var client = Client(fake, timeout: TimeSpan.FromMinutes(5));
        await CancelOnceReached(token => client.GetObjectAsync<object>("datachain/jobs/", null, NullTrace.Instance, token), reached.Task);
        Assert.Equal(1, fake.Calls);
    }

    [Fact]
    public async Task Cancellation_ends_a_Retry_After_wait_at_once()
    {
        var answered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fake = new FakeHandler().Then((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{}") };
            response.Headers.Add("Retry-After", "60");
            answered.TrySetResult(true);
            return Task.FromResult(response);
        });
        var client = Client(fake);
        await CancelOnceReached(token => client.GetObjectAsync<object>("datachain/jobs/", null, NullTrace.Instance, token), answered.Task);
        Assert.Equal(1, fake.Calls);
    }

    [Fact]
    public async Task The_trace_shows_method_url_status_and_time_and_never_the_token()
    {
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.ServiceUnavailable, "{}")
            .Respond(HttpStatusCode.OK, Clusters.Replace("\"a\"", "\"" + Token + "\""));
        var trace = new RecordingTrace();
        await Client(fake).GetClustersAsync("t1", trace, default).ToListAsync();
        var all = trace.All;
        Assert.Contains("VERBOSE: GET https://studio.example/api/datachain/clusters/?team_name=t1 -> 503", all);
        Assert.Contains("VERBOSE: Retry 1/3 of GET /api/datachain/clusters/", all);
        Assert.Matches(@"-> 200 OK \(\d+ ms\)", all);
        Assert.Contains("Authorization: Bearer [redacted]", all);
        Assert.Contains("User-Agent: StudioPS/0.1.0", all);
        Assert.DoesNotContain(Token, all);
        Assert.DoesNotContain(Token.Substring(0, 9), all);
    }

    [Fact]
    public async Task An_error_message_echoing_the_token_is_redacted()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.Unauthorized, "{\"detail\":\"bad token " + Token + "\"}");
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Client(fake).GetObjectAsync<object>("datachain/jobs/", null, NullTrace.Instance, default));
        Assert.Equal(StudioErrorKind.Unauthorized, error.Kind);
        Assert.DoesNotContain("0123456789", error.Message);
        Assert.DoesNotContain("0123456789", error.ServerMessage);
        Assert.Contains("bad token [redacted]", error.ServerMessage);
    }

    [Fact]
    public async Task An_HTML_page_instead_of_JSON_is_an_invalid_response()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, "<html><title>Login</title></html>", "text/html");
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Client(fake).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync().AsTask());
        Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("HTML page", error.Message);
    }

    [Fact]
    public async Task Malformed_JSON_is_an_invalid_response_not_a_JsonException()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, """[{"id":1,"name":"a"},{"id":2,"na""");
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Client(fake).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync().AsTask());
        Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
        Assert.IsType<System.Text.Json.JsonException>(error.InnerException);
    }
}
