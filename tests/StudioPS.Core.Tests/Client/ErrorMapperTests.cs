using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using StudioPS.Client;
using Xunit;

namespace StudioPS.Core.Tests.Client;

public class ErrorMapperTests
{
    [Theory]
    [InlineData(400, StudioErrorKind.BadRequest)]
    [InlineData(401, StudioErrorKind.Unauthorized)]
    [InlineData(403, StudioErrorKind.Forbidden)]
    [InlineData(404, StudioErrorKind.NotFound)]
    [InlineData(409, StudioErrorKind.Conflict)]
    [InlineData(429, StudioErrorKind.RateLimited)]
    [InlineData(500, StudioErrorKind.ServerError)]
    [InlineData(503, StudioErrorKind.ServerError)]
    [InlineData(504, StudioErrorKind.Timeout)]
    [InlineData(418, StudioErrorKind.HttpError)]
    public void Status_codes_map_to_kinds(int status, StudioErrorKind kind) =>
        Assert.Equal(kind, ErrorMapper.KindOf((HttpStatusCode)status));

    [Theory]
    [InlineData("""{"message":"Job not found"}""", "Job not found")]
    [InlineData("""{"detail":"Invalid token."}""", "Invalid token.")]
    [InlineData("""{"error":"bad"}""", "bad")]
    [InlineData("""{"ok":false,"message":"Pipeline is not paused"}""", "Pipeline is not paused")]
    [InlineData("""{"workers":["Ensure this value is at most 4."]}""", "workers: Ensure this value is at most 4.")]
    [InlineData("""{"detail":{"message":"nested"}}""", "nested")]
    [InlineData("plain words\nover lines", "plain words over lines")]
    public void The_servers_own_message_is_found(string body, string expected) =>
        Assert.Equal(expected, ErrorMapper.ServerMessage(body, "application/json"));

    [Fact]
    public void An_HTML_error_page_gives_its_title() =>
        Assert.Equal("502 Bad Gateway", ErrorMapper.ServerMessage("<html><head><title>502 Bad Gateway</title></head><body><h1>x</h1></body></html>", "text/html"));

    [Fact]
    public void An_empty_body_gives_no_message() => Assert.Null(ErrorMapper.ServerMessage("  ", null));

    [Fact]
    public async Task A_response_error_carries_status_kind_message_method_and_path_without_the_query()
    {
        var response = new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"message":"Job not found"}""") };
        var error = await ErrorMapper.FromResponseAsync(response, "GET", "/api/datachain/jobs/", Redactor.None, default);
        Assert.Equal(StudioErrorKind.NotFound, error.Kind);
        Assert.Equal("Studio.NotFound", error.ErrorId);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("Job not found", error.ServerMessage);
        Assert.Equal("Studio found no such resource (404 Not Found) from GET /api/datachain/jobs/: Job not found", error.Message);
    }

    [Fact]
    public async Task A_rate_limit_error_says_how_long_to_wait()
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("{}") };
        response.Headers.Add("Retry-After", "30");
        var error = await ErrorMapper.FromResponseAsync(response, "GET", "/api/datachain/jobs/", Redactor.None, default);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Contains("wait 30 s", error.Message);
    }

    [Fact]
    public void A_TLS_failure_is_named_as_such_and_keeps_the_inner_exception()
    {
        var inner = new HttpRequestException("SSL", new AuthenticationException("The remote certificate is invalid."));
        var error = ErrorMapper.FromException(inner, "GET", "/api/datachain/clusters/", "studio.example", Redactor.None);
        Assert.Equal(StudioErrorKind.TlsFailure, error.Kind);
        Assert.Contains("TLS handshake with studio.example failed", error.Message);
        Assert.Same(inner, error.InnerException);
    }

    [Fact]
    public void A_refused_connection_is_a_connection_error_naming_the_host()
    {
        var inner = new HttpRequestException("refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        var error = ErrorMapper.FromException(inner, "POST", "/api/datachain/jobs/", "127.0.0.1:1", Redactor.None);
        Assert.Equal(StudioErrorKind.ConnectionFailed, error.Kind);
        Assert.Contains("Could not connect to 127.0.0.1:1", error.Message);
        Assert.False(error.OutcomeUnknown);
    }
}
