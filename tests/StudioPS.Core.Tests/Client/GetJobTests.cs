using System.Net;
using System.Net.Http;
using System.Text;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Http;
using Xunit;

namespace StudioPS.Core.Tests.Client;

public class GetJobTests
{
    private const string OneJob = """[{"id":"j1","status":"RUNNING","query":"print(1)"}]""";

    private static StudioClient Client(FakeHandler fake, int retries) =>
        new(StudioHttp.Create(new StudioHttpOptions
        {
            PrimaryHandler = fake,
            MaxRetries = retries,
            RetryPolicy = new RetryPolicy(retries, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)),
        }, out _), new Uri("https://s/api/"), Redactor.None);

    /// <summary>Headers arrive with 200, then the connection drops inside the body.</summary>
    private static Task<HttpResponseMessage> CutBody(HttpRequestMessage request, CancellationToken token) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StreamContent(new BreaksAfter(Encoding.UTF8.GetBytes(OneJob.Substring(0, 20)))),
        });

    [Fact]
    public async Task A_single_job_body_cut_off_after_the_headers_is_read_again()
    {
        var fake = new FakeHandler().Then(CutBody).Respond(HttpStatusCode.OK, OneJob);
        var job = await Client(fake, retries: 2).GetJobAsync("t", "j1", false, NullTrace.Instance, default);
        Assert.Equal(("j1", "RUNNING"), (job.Id, job.Status));
        Assert.Equal(2, fake.Calls);
        Assert.All(fake.Requests, r => Assert.Contains("job_id=j1", r.RequestUri!.Query));
    }

    [Fact]
    public async Task A_body_cut_off_every_time_is_a_connection_failure_after_the_retries()
    {
        var fake = new FakeHandler().Then(CutBody).Then(CutBody);
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Client(fake, retries: 1).GetJobAsync("t", "j1", false, NullTrace.Instance, default));
        Assert.Equal(2, fake.Calls);
        Assert.Equal(StudioErrorKind.ConnectionFailed, error.Kind);
    }

    /// <summary>A body stream that yields some bytes, then fails as a dropped connection does.</summary>
    private sealed class BreaksAfter : MemoryStream
    {
        public BreaksAfter(byte[] head) : base(head) { }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            return read > 0 ? read : throw new IOException("The response ended prematurely.");
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("The response ended prematurely.");
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
