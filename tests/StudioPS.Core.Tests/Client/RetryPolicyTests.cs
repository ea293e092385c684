using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using StudioPS.Client;
using StudioPS.Http;
using Xunit;

namespace StudioPS.Core.Tests.Client;

public class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(maxRetries: 3, random: () => 1.0);

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Reads_are_retried_on_transient_statuses(int status) =>
        Assert.True(Policy.ShouldRetry(HttpMethod.Get, (HttpStatusCode)status, null, 0));

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(501)]
    public void Reads_are_not_retried_on_permanent_statuses(int status) =>
        Assert.False(Policy.ShouldRetry(HttpMethod.Get, (HttpStatusCode)status, null, 0));

    [Fact]
    public void No_retry_after_the_last_attempt() =>
        Assert.False(Policy.ShouldRetry(HttpMethod.Get, HttpStatusCode.ServiceUnavailable, null, 3));

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(408)]
    public void Writes_are_not_retried_when_the_server_may_have_acted(int status) =>
        Assert.False(Policy.ShouldRetry(HttpMethod.Post, (HttpStatusCode)status, null, 0));

    [Fact]
    public void A_write_refused_with_429_is_retried() =>
        Assert.True(Policy.ShouldRetry(HttpMethod.Post, HttpStatusCode.TooManyRequests, null, 0));

    [Fact]
    public void A_write_answered_503_is_retried_only_with_Retry_After()
    {
        Assert.True(Policy.ShouldRetry(HttpMethod.Post, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(1), 0));
        Assert.False(Policy.ShouldRetry(HttpMethod.Post, HttpStatusCode.ServiceUnavailable, null, 0));
    }

    [Fact]
    public void A_Retry_After_beyond_the_cap_is_not_waited_out() =>
        Assert.False(Policy.ShouldRetry(HttpMethod.Get, HttpStatusCode.TooManyRequests, TimeSpan.FromMinutes(10), 0));

    [Fact]
    public void Network_failures_are_retried_for_reads()
    {
        Assert.True(Policy.ShouldRetry(HttpMethod.Get, new HttpRequestException("reset"), 0));
        Assert.True(Policy.ShouldRetry(HttpMethod.Get, new TimeoutException(), 0));
        Assert.True(Policy.ShouldRetry(HttpMethod.Get, new IOException("cut"), 0));
    }

    [Fact]
    public void A_write_is_retried_after_a_network_failure_only_when_the_connection_was_refused()
    {
        var refused = new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused));
        var reset = new HttpRequestException("reset", new IOException("connection reset"));
        Assert.True(Policy.ShouldRetry(HttpMethod.Post, refused, 0));
        Assert.False(Policy.ShouldRetry(HttpMethod.Post, reset, 0));
        Assert.False(Policy.ShouldRetry(HttpMethod.Post, new TimeoutException(), 0));
    }

    [Fact]
    public void Backoff_is_exponential_with_full_jitter_and_capped()
    {
        var top = new RetryPolicy(5, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3), random: () => 1.0);
        Assert.Equal(500, top.GetDelay(0, null).TotalMilliseconds, 3);
        Assert.Equal(1000, top.GetDelay(1, null).TotalMilliseconds, 3);
        Assert.Equal(2000, top.GetDelay(2, null).TotalMilliseconds, 3);
        Assert.Equal(3000, top.GetDelay(3, null).TotalMilliseconds, 3);
        Assert.Equal(3000, top.GetDelay(20, null).TotalMilliseconds, 3);
        var bottom = new RetryPolicy(5, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3), random: () => 0.0);
        Assert.Equal(TimeSpan.Zero, bottom.GetDelay(4, null));
        var half = new RetryPolicy(5, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3), random: () => 0.5);
        Assert.Equal(500, half.GetDelay(1, null).TotalMilliseconds, 3);
    }

    [Fact]
    public void Real_jitter_stays_within_the_ceiling()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        var delays = Enumerable.Range(0, 200).Select(_ => policy.GetDelay(2, null).TotalMilliseconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, 0, 400));
        Assert.True(delays.Distinct().Count() > 50, "jitter should spread the delays");
    }

    [Fact]
    public void The_servers_Retry_After_is_used_as_the_delay() =>
        Assert.Equal(TimeSpan.FromSeconds(7), Policy.GetDelay(0, TimeSpan.FromSeconds(7)));

    [Fact]
    public void Retry_After_in_seconds_is_read()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(TimeSpan.FromSeconds(2), RetryPolicy.ParseRetryAfter("2", now));
        Assert.Equal(TimeSpan.FromSeconds(120), RetryPolicy.ParseRetryAfter(" 120 ", now));
    }

    [Fact]
    public void Retry_After_as_an_HTTP_date_is_read_relative_to_now()
    {
        var now = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.ParseRetryAfter("Sun, 29 Nov 2026 12:00:30 GMT", now));
        Assert.Equal(TimeSpan.Zero, RetryPolicy.ParseRetryAfter("Sun, 29 Nov 2026 11:00:00 GMT", now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void An_unreadable_Retry_After_is_ignored(string? value) =>
        Assert.Null(RetryPolicy.ParseRetryAfter(value, DateTimeOffset.UtcNow));
}
