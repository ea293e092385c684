using System.Net;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Logs;
using StudioPS.Models;
using StudioPS.Session;
using Xunit;

namespace StudioPS.Core.Tests.Session;

/// <summary>New-StudioJob's work in Core: upload, create, the schedule check, the wait, the re-read.</summary>
public class JobLauncherTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static StudioConnection Connection(FakeHandler fake) =>
        new(new ResolvedSettings { Token = "isat_launcherTestToken0123456789", Team = "t", BaseUri = new Uri("https://studio.example") },
            new StudioConnectionOptions { MaxRetries = 0, PrimaryHandler = fake });

    [Fact]
    public async Task Files_are_uploaded_first_and_their_ids_sent_with_the_job()
    {
        var file = _temp.Write("data.csv", "a,b\n1,2\n");
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.OK, """{"id":"f-1","filename":"data.csv"}""")
            .Respond(HttpStatusCode.OK, """{"id":"j-1","status":"CREATED","created_at":"2026-01-01T00:00:00Z","query":"print(1)"}""");
        using var connection = Connection(fake);
        var observer = new Observer();
        var launch = new JobLaunch(new JobInput { TeamName = "t", Query = "print(1)" }) { Uploads = new[] { file } };

        var result = await new JobLauncher(connection, NullTrace.Instance).LaunchAsync(launch, observer, default);

        Assert.Equal(("j-1", false, (string?)null), (result.Job.Id, result.Finished, result.Warning));
        Assert.Equal(new[] { "started " + file, "ended " + file + " f-1" }, observer.Events);
        Assert.Equal("/api/datachain/jobs/files", fake.Requests[0].RequestUri!.AbsolutePath);
        Assert.Contains("\"files\":[\"f-1\"]", fake.Bodies[1]);
    }

    [Fact]
    public async Task A_job_scheduled_by_cron_is_not_waited_for_and_says_why()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, """{"id":"j-2","status":"TASK","created_at":"2026-01-01T00:00:00Z","query":"x"}""");
        using var connection = Connection(fake);
        var launch = new JobLaunch(new JobInput { TeamName = "t", Query = "x", CronExpression = "0 * * * *" }) { Wait = true, Cron = "0 * * * *" };

        var result = await new JobLauncher(connection, NullTrace.Instance).LaunchAsync(launch, new Observer(), default);

        Assert.False(result.Finished);
        Assert.Equal("Job j-2 is scheduled with cron '0 * * * *': it runs on that schedule, so -Wait does not wait for it.", result.Warning);
        Assert.Equal(1, fake.Calls);
    }

    [Fact]
    public async Task A_wait_without_the_log_polls_until_the_job_ends_and_returns_it_finished()
    {
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.OK, """{"id":"j-3","status":"CREATED","created_at":"2026-01-01T00:00:00Z","query":"x"}""")
            .Respond(HttpStatusCode.OK, """[{"id":"j-3","status":"RUNNING"}]""")
            .Respond(HttpStatusCode.OK, """[{"id":"j-3","status":"FAILED","exit_code":2}]""");
        using var connection = Connection(fake);
        var observer = new Observer();
        var launch = new JobLaunch(new JobInput { TeamName = "t", Query = "x" }) { Wait = true, NoLog = true, PollInterval = TimeSpan.FromMilliseconds(1) };

        var result = await new JobLauncher(connection, NullTrace.Instance).LaunchAsync(launch, observer, default);

        Assert.True(result.Finished);
        Assert.Equal(("FAILED", 2), (result.Job.Status, result.Job.ExitCode));
        Assert.Equal("j-3", observer.CreatedId);
        Assert.Equal(new[] { "round RUNNING", "round FAILED" }, observer.Events);
        Assert.Equal(3, fake.Calls);
    }

    private sealed class Observer : IJobLaunchObserver
    {
        public List<string> Events { get; } = new();
        public string? CreatedId { get; private set; }
        public void Created(StudioJob job) => CreatedId = job.Id;
        public IProgress<long>? UploadStarted(string path, long length) { Events.Add("started " + path); return null; }
        public void UploadEnded(string path, StudioFile? file) => Events.Add("ended " + path + " " + file?.Id);
        public Task LogEventsAsync(IReadOnlyList<LogEvent> logEvents, CancellationToken cancellationToken)
        {
            foreach (var logEvent in logEvents) Events.Add("log " + logEvent.Message);
            return Task.CompletedTask;
        }
        public void WaitRound(IReadOnlyList<StudioJob> jobs, TimeSpan elapsed) => Events.Add("round " + string.Join(",", jobs.Select(j => j.Status)));
    }
}
