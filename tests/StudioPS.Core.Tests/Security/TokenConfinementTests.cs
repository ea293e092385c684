using System.Net;
using System.Net.Http;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Http;
using StudioPS.Models;
using Xunit;

namespace StudioPS.Core.Tests.Security;

/// <summary>The token goes to Studio's own origin (scheme, host, port) and nowhere else, on every attempt and hop.</summary>
public class TokenConfinementTests
{
    private const string Token = "isat_0123456789abcdefSECRETSECRET";
    private static readonly Uri Studio = new("https://studio.example");
    private const string Clusters = """[{"id":1,"name":"a","status":"ACTIVE","default":true,"max_workers":2}]""";

    private static StudioClient Client(FakeHandler fake, int retries = 3)
    {
        var redactor = new Redactor(Token);
        var http = StudioHttp.Create(new StudioHttpOptions
        {
            Token = () => Token,
            StudioOrigin = Studio,
            Redactor = redactor,
            Timeout = TimeSpan.FromSeconds(30),
            PrimaryHandler = fake,
            RetryPolicy = new RetryPolicy(retries, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2)),
        }, out _);
        return new StudioClient(http, new Uri(Studio, "/api/"), redactor);
    }

    private static Action<HttpResponseMessage> Location(string target) => r => r.Headers.Location = new Uri(target, UriKind.RelativeOrAbsolute);

    private static List<(string Host, string? Auth)> Sent(FakeHandler fake) =>
        fake.Requests.Select((r, i) => (r.RequestUri!.Authority, fake.AuthorizationHeaders[i])).ToList();

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public async Task A_redirect_elsewhere_never_carries_the_token_on_any_retry(HttpStatusCode failure)
    {
        var fake = new FakeHandler();
        for (var i = 0; i < 4; i++)
            fake.Respond(HttpStatusCode.TemporaryRedirect, null, configure: Location("https://evil.example/steal"))
                .Respond(failure, "{}");
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Client(fake).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync().AsTask());
        var sent = Sent(fake);
        Assert.Equal(8, sent.Count);
        Assert.All(sent.Where(s => s.Host == "evil.example"), s => Assert.Null(s.Auth));
        Assert.All(sent.Where(s => s.Host == "studio.example"), s => Assert.Equal("Bearer " + Token, s.Auth));
        Assert.Equal(4, sent.Count(s => s.Host == "evil.example"));
        Assert.DoesNotContain(Token.Substring(0, 12), error.Message);
    }

    [Fact]
    public async Task A_redirect_elsewhere_whose_connection_drops_never_carries_the_token()
    {
        var fake = new FakeHandler();
        for (var i = 0; i < 4; i++)
            fake.Respond(HttpStatusCode.Found, null, configure: Location("https://evil.example:8443/x"))
                .Throw(new HttpRequestException("connection reset", new IOException("reset")));
        await Assert.ThrowsAsync<StudioApiException>(() => Client(fake).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync().AsTask());
        Assert.All(Sent(fake).Where(s => s.Host != "studio.example"), s => Assert.Null(s.Auth));
        Assert.Equal(4, Sent(fake).Count(s => s.Host != "studio.example"));
    }

    [Fact]
    public async Task A_same_origin_redirect_keeps_the_token_and_the_call_works()
    {
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.MovedPermanently, null, configure: Location("/api/datachain/clusters-moved/"))
            .Respond(HttpStatusCode.OK, Clusters);
        var clusters = await Client(fake).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync();
        Assert.Equal("a", Assert.Single(clusters).Name);
        Assert.Equal("https://studio.example/api/datachain/clusters-moved/", fake.Requests[1].RequestUri!.AbsoluteUri);
        Assert.Equal(new string?[] { "Bearer " + Token, "Bearer " + Token }, fake.AuthorizationHeaders);
    }

    [Theory]
    [InlineData("http://studio.example/api/datachain/clusters/")]
    [InlineData("https://studio.example:8443/api/datachain/clusters/")]
    [InlineData("https://other.studio.example/api/datachain/clusters/")]
    public async Task Another_scheme_port_or_host_is_another_origin(string target)
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.Redirect, null, configure: Location(target)).Respond(HttpStatusCode.OK, Clusters);
        await Client(fake).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync();
        Assert.Equal("Bearer " + Token, fake.AuthorizationHeaders[0]);
        Assert.Null(fake.AuthorizationHeaders[1]);
    }

    [Fact]
    public async Task A_redirect_to_a_scheme_other_than_http_is_not_followed()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.Redirect, null, configure: Location("ftp://evil.example/x"));
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Client(fake).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync().AsTask());
        Assert.Equal(1, fake.Calls);
        Assert.Equal(HttpStatusCode.Redirect, error.StatusCode);
    }

    [Fact]
    public async Task A_POST_redirected_with_303_becomes_a_GET_without_the_body()
    {
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.SeeOther, null, configure: Location("/api/datachain/jobs/j9"))
            .Respond(HttpStatusCode.OK, """{"id":"j9","status":"QUEUED","created_at":"2026-01-01T00:00:00Z","query":"x"}""");
        var job = await Client(fake).PostJsonAsync<StudioJob>("datachain/jobs/", new { query = "x" }, NullTrace.Instance, default);
        Assert.Equal("j9", job.Id);
        Assert.Equal(HttpMethod.Get, fake.Requests[1].Method);
        Assert.Null(fake.Bodies[1]);
    }

    [Fact]
    public async Task Redirects_stop_after_a_bounded_number_of_hops()
    {
        var fake = new FakeHandler();
        for (var i = 0; i <= RedirectHandler.MaxRedirects; i++) fake.Respond(HttpStatusCode.Redirect, null, configure: Location("/api/loop/" + i));
        await Assert.ThrowsAsync<StudioApiException>(() => Client(fake, retries: 0).GetClustersAsync(null, NullTrace.Instance, default).ToListAsync().AsTask());
        Assert.Equal(RedirectHandler.MaxRedirects + 1, fake.Calls);
    }

    [Fact]
    public async Task The_auth_handler_removes_a_token_already_on_a_request_to_another_origin()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, "{}");
        using var invoker = new HttpMessageInvoker(new AuthHandler("Bearer", () => Token, Studio) { InnerHandler = fake });
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://evil.example/x");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        await invoker.SendAsync(request, default);
        Assert.Null(fake.AuthorizationHeaders[0]);
    }

    [Fact]
    public async Task Without_a_known_origin_the_token_goes_nowhere()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, "{}");
        using var invoker = new HttpMessageInvoker(new AuthHandler("Bearer", () => Token, null) { InnerHandler = fake });
        await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://studio.example/api/x"), default);
        Assert.Null(fake.AuthorizationHeaders[0]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", false)]
    [InlineData("http://localhost:5000", false)]
    [InlineData("http://[::1]:5000", false)]
    [InlineData("https://studio.datachain.ai", true)]
    [InlineData("http://10.0.0.5", true)]
    public void A_loopback_Studio_is_reached_without_a_proxy(string origin, bool useProxy)
    {
        Assert.Equal(useProxy, StudioHttp.UseProxyFor(new Uri(origin)));
        using var handler = StudioHttp.CreateNetworkHandler(useProxy);
        Assert.Equal(useProxy, (bool)handler.GetType().GetProperty("UseProxy")!.GetValue(handler)!);
        Assert.False((bool)handler.GetType().GetProperty("AllowAutoRedirect")!.GetValue(handler)!);
    }

    [Theory]
    [InlineData("http://localhost:5000/export-parts/1/0?X-Signature=s", false)]
    [InlineData("http://127.0.0.1:5000/export-parts/1/0?X-Signature=s", false)]
    [InlineData("https://bucket.s3.amazonaws.com/e5/0.lz4?sig=s", true)]
    public async Task An_export_part_goes_through_the_proxy_by_its_own_origin_not_Studios(string part, bool proxied)
    {
        // Whatever Studio's origin, the part's own decides: the foreign client is one per connection and
        // serves parts on storage hosts and on this machine alike.
        var made = new List<(bool UseProxy, FakeHandler Handler)>();
        using var client = ForeignOriginHttp.Create(TimeSpan.FromSeconds(5), 0, "ua", createNetworkHandler: useProxy =>
        {
            var handler = new FakeHandler().Respond(HttpStatusCode.OK, "a").Respond(HttpStatusCode.OK, "b");
            made.Add((useProxy, handler));
            return handler;
        });
        using (await client.GetAsync(part)) { }
        using (await client.GetAsync(part)) { }

        var (useProxy, handler) = Assert.Single(made);
        Assert.Equal(proxied, useProxy);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Parts_on_this_machine_and_on_a_storage_host_use_a_direct_and_a_proxied_handler_side_by_side()
    {
        var made = new Dictionary<bool, FakeHandler>();
        using var client = ForeignOriginHttp.Create(TimeSpan.FromSeconds(5), 0, "ua", createNetworkHandler: useProxy =>
            made[useProxy] = new FakeHandler().Respond(HttpStatusCode.OK, "x"));
        using (await client.GetAsync("https://storage.example/p/0")) { }
        using (await client.GetAsync("http://localhost:1/p/1")) { }
        Assert.Equal("https://storage.example/p/0", Assert.Single(made[true].Requests).RequestUri!.AbsoluteUri);
        Assert.Equal("http://localhost:1/p/1", Assert.Single(made[false].Requests).RequestUri!.AbsoluteUri);
    }
}
