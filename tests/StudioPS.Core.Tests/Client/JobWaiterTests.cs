using System.Net;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Http;
using StudioPS.Models;
using StudioPS.Waiting;
using Xunit;

namespace StudioPS.Core.Tests.Client;

public class JobWaiterTests
{
    private static StudioClient Client(FakeHandler fake) =>
        new(StudioHttp.Create(new StudioHttpOptions { PrimaryHandler = fake, MaxRetries = 0 }, out _), new Uri("https://s/api/"), Redactor.None);

    private static string Jobs(params (string Id, string Status)[] jobs) =>
        "[" + string.Join(",", jobs.Select(j => $"{{\"id\":\"{j.Id}\",\"status\":\"{j.Status}\"}}")) + "]";

    private static async Task<List<JobWaitEvent>> Watch(JobWaiter waiter, string[] ids, TimeSpan interval, TimeSpan? timeout)
    {
        var events = new List<JobWaitEvent>();
        await foreach (var e in waiter.WatchAsync(ids, interval, timeout, default)) events.Add(e);
        return events;
    }

    [Fact]
    public async Task Many_jobs_cost_one_list_request_per_round_and_each_is_reported_once_as_it_ends()
    {
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.OK, Jobs(("c", "RUNNING"), ("b", "COMPLETE"), ("a", "RUNNING"), ("x", "RUNNING")))
            .Respond(HttpStatusCode.OK, Jobs(("c", "FAILED"), ("b", "COMPLETE"), ("a", "RUNNING")))
            .Respond(HttpStatusCode.OK, Jobs(("c", "FAILED"), ("b", "COMPLETE"), ("a", "CANCELED")));
        var waiter = new JobWaiter(Client(fake), "t", NullTrace.Instance);
        var events = await Watch(waiter, new[] { "a", "b", "c" }, TimeSpan.FromMilliseconds(1), null);
        var finished = events.Where(e => e.Kind == JobWaitEventKind.Finished).Select(e => e.Job!.Id + ":" + e.Job.Status).ToList();
        var rounds = events.Count(e => e.Kind == JobWaitEventKind.Round);
        Assert.DoesNotContain(events, e => e.Kind == JobWaitEventKind.TimedOut);
        Assert.Equal(new[] { "b:COMPLETE", "c:FAILED", "a:CANCELED" }, finished);
        Assert.Equal(3, fake.Calls);
        Assert.Equal(3, waiter.Requests);
        Assert.Equal(3, rounds);
        Assert.All(fake.Requests.Take(2), r => Assert.Contains("limit=100", r.RequestUri!.Query));
        // With one job left, it is read by id.
        Assert.Contains("job_id=a", fake.Requests[2].RequestUri!.Query);
    }

    [Fact]
    public async Task A_job_missing_from_the_page_is_read_on_its_own()
    {
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.OK, Jobs(("a", "COMPLETE")))
            .Respond(HttpStatusCode.OK, Jobs(("old", "COMPLETE")));
        var waiter = new JobWaiter(Client(fake), "t", NullTrace.Instance);
        await Watch(waiter, new[] { "a", "old" }, TimeSpan.FromMilliseconds(1), null);
        Assert.Contains("job_id=old", fake.Requests[1].RequestUri!.Query);
    }

    [Fact]
    public async Task A_time_out_returns_the_jobs_still_going()
    {
        var fake = new FakeHandler();
        for (var i = 0; i < 50; i++) fake.Respond(HttpStatusCode.OK, Jobs(("a", "RUNNING")));
        var waiter = new JobWaiter(Client(fake), "t", NullTrace.Instance);
        var events = await Watch(waiter, new[] { "a" }, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));
        var left = Assert.Single(events, e => e.Kind == JobWaitEventKind.TimedOut);
        Assert.Equal("RUNNING", left.Job!.Status);
        Assert.Equal(JobWaitEventKind.TimedOut, events[^1].Kind);
    }

    [Fact]
    public async Task A_job_that_does_not_exist_is_NotFound()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, "[]");
        var waiter = new JobWaiter(Client(fake), "t", NullTrace.Instance);
        var error = await Assert.ThrowsAsync<StudioApiException>(() => Watch(waiter, new[] { "nope" }, TimeSpan.FromMilliseconds(1), null));
        Assert.Equal(StudioErrorKind.NotFound, error.Kind);
        Assert.Contains("'nope'", error.Message);
    }

    [Theory]
    [InlineData("COMPLETE", true)]
    [InlineData("failed", true)]
    [InlineData("CANCELED", true)]
    [InlineData("TASK", true)]
    [InlineData("RUNNING", false)]
    [InlineData("SOME_NEW_STATUS", false)]
    [InlineData(null, false)]
    public void Terminal_statuses(string? status, bool terminal) => Assert.Equal(terminal, StudioJob.IsTerminalStatus(status));
}
