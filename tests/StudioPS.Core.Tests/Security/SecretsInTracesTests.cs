using System.Net;
using System.Net.Http;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Http;
using StudioPS.Models;
using Xunit;

namespace StudioPS.Core.Tests.Security;

/// <summary>Environment values, tokens and control characters never reach a trace as they are.</summary>
public class SecretsInTracesTests
{
    private const string Token = "isat_0123456789abcdefSECRETSECRET";

    private static StudioClient Client(FakeHandler fake, int retries = 0)
    {
        var redactor = new Redactor(Token);
        var http = StudioHttp.Create(new StudioHttpOptions
        {
            Token = () => Token,
            StudioOrigin = new Uri("https://studio.example"),
            Redactor = redactor,
            Timeout = TimeSpan.FromSeconds(30),
            PrimaryHandler = fake,
            RetryPolicy = new RetryPolicy(retries, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2)),
        }, out _);
        return new StudioClient(http, new Uri("https://studio.example/api/"), redactor);
    }

    [Fact]
    public async Task Debug_shows_environment_keys_but_never_their_values_in_requests_or_responses()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK,
            """{"id":"j1","status":"QUEUED","created_at":"2026-01-01T00:00:00Z","query":"x","environment":{"AWS_SECRET_ACCESS_KEY":"wJalrXUtnFEMI","REGION":"eu-west-1"}}""");
        var trace = new RecordingTrace();
        var input = new JobInput { Query = "x", TeamName = "t", Environment = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\nREGION=eu-west-1" };
        await Client(fake).PostJsonAsync<StudioJob>("datachain/jobs/", input, trace, default);
        var all = trace.All;
        Assert.Contains("AWS_SECRET_ACCESS_KEY=[redacted]", all);
        Assert.Contains("\"AWS_SECRET_ACCESS_KEY\":\"[redacted]\"", all);
        Assert.Contains("REGION", all);
        Assert.DoesNotContain("wJalrXUtnFEMI", all);
        Assert.DoesNotContain("eu-west-1", all);
        // What was sent is untouched: only the trace is masked.
        Assert.Contains("wJalrXUtnFEMI", fake.Bodies[0]);
    }

    [Fact]
    public void Masking_keeps_everything_but_the_values()
    {
        Assert.Equal("""{"query":"x","environment":"A=[redacted]\nB=[redacted]","n":1}""",
            EnvironmentMask.MaskJson("""{"query":"x","environment":"A=1\nB=two","n":1}"""));
        Assert.Equal("[{\"env\":{\"K\":\"[redacted]\"}}]", EnvironmentMask.MaskJson("[{\"env\":{\"K\":\"v\"}}]"));
        Assert.Equal("not json", EnvironmentMask.MaskJson("not json"));
    }

    [Fact]
    public async Task Retry_notes_in_verbose_pass_the_redactor_and_escape_control_characters()
    {
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.ServiceUnavailable, "{}", configure: r => r.ReasonPhrase = "busy " + Token + " \u001b[2J")
            .Respond(HttpStatusCode.OK, "[]");
        var trace = new RecordingTrace { DebugEnabled = false };
        await Client(fake, retries: 1).GetClustersAsync(null, trace, default).ToListAsync();
        var note = Assert.Single(trace.Lines, l => l.Contains("Retry 1/1"));
        Assert.DoesNotContain(Token.Substring(0, 10), note);
        Assert.Contains(Redactor.Mask, note);
        Assert.DoesNotContain('\u001b', note);
    }

    [Fact]
    public async Task A_transport_error_note_is_redacted_too()
    {
        var fake = new FakeHandler()
            .Throw(new HttpRequestException("proxy said Authorization: Bearer " + Token))
            .Respond(HttpStatusCode.OK, "[]");
        var trace = new RecordingTrace { DebugEnabled = false };
        await Client(fake, retries: 1).GetClustersAsync(null, trace, default).ToListAsync();
        Assert.DoesNotContain(Token.Substring(0, 10), trace.All);
    }
}
