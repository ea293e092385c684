using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using StudioPS.Core.Tests.Support;
using StudioPS.Tests.Support;
using Xunit;

namespace StudioPS.Tests.Commands;

/// <summary>A wait that ends while the job goes on says so: the job's id, its last status, and how to stop or follow it.</summary>
public class InterruptionTests
{
    private const string JobId = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    private static readonly string Running = $$"""[{"id":"{{JobId}}","name":"train.py","status":"RUNNING","created_at":"2026-11-30T10:00:00Z"}]""";

    [Fact]
    public void Ctrl_C_during_Wait_StudioJob_warns_with_the_id_the_last_status_and_the_commands()
    {
        // The first poll answers RUNNING; the second never answers, so Stop() lands while the job is known to run.
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Running).Hang();
        using var connection = InProcessShell.Connection(fake, timeoutSec: 600);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Wait-StudioJob").AddParameter("Id", JobId).AddParameter("PollIntervalSec", 1).AddParameter("Connection", connection);
        var pending = shell.BeginInvoke();
        var waited = Stopwatch.StartNew();
        while (fake.Calls < 2 && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(10);
        Assert.Equal(2, fake.Calls);

        shell.Stop();
        Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        var warning = Assert.Single(shell.Streams.Warning).Message;
        Assert.Equal($"Stopped waiting; job {JobId} is still RUNNING in Studio: stop it with 'Stop-StudioJob -Id {JobId}', " +
                     $"or follow it again with 'Get-StudioJobLog -Id {JobId} -Follow'.", warning);
    }

    [Fact]
    public void Ctrl_C_during_New_StudioJob_Wait_names_the_job_it_created()
    {
        var created = $$"""{"id":"{{JobId}}","name":"train.py","status":"CREATED","created_at":"2026-11-30T10:00:00Z"}""";
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, created).Respond(HttpStatusCode.OK, Running).Hang();
        using var connection = InProcessShell.Connection(fake, timeoutSec: 600);
        using var shell = InProcessShell.Create();
        shell.AddCommand("New-StudioJob").AddParameter("Query", "print('x')").AddParameter("Wait").AddParameter("NoLog")
            .AddParameter("PollIntervalSec", 1).AddParameter("Connection", connection);
        var pending = shell.BeginInvoke();
        var waited = Stopwatch.StartNew();
        while (fake.Calls < 3 && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(10);
        Assert.Equal(3, fake.Calls);

        shell.Stop();
        Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
        var warning = Assert.Single(shell.Streams.Warning).Message;
        Assert.StartsWith($"Stopped waiting; job {JobId} is still RUNNING in Studio: stop it with 'Stop-StudioJob -Id {JobId}'", warning);
    }

    [Fact]
    public void Ctrl_C_warning_respects_WarningAction_SilentlyContinue()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Running).Hang();
        using var connection = InProcessShell.Connection(fake, timeoutSec: 600);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Wait-StudioJob").AddParameter("Id", JobId).AddParameter("PollIntervalSec", 1).AddParameter("Connection", connection)
            .AddParameter("WarningAction", ActionPreference.SilentlyContinue);
        var pending = shell.BeginInvoke();
        var waited = Stopwatch.StartNew();
        while (fake.Calls < 2 && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(10);
        shell.Stop();
        Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
        Assert.Empty(shell.Streams.Warning);
    }

    [Fact]
    public void A_timeout_names_the_job_its_status_and_the_commands_that_stop_or_follow_it()
    {
        var fake = new FakeHandler();
        for (var i = 0; i < 10; i++) fake.Respond(HttpStatusCode.OK, Running);
        using var connection = InProcessShell.Connection(fake);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Wait-StudioJob").AddParameter("Id", JobId).AddParameter("Timeout", 1).AddParameter("Connection", connection);
        shell.Invoke();
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("WaitTimeout,StudioPS.Commands.WaitStudioJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Equal($"Job {JobId} did not finish within 1 s; it is still RUNNING in Studio: stop it with 'Stop-StudioJob -Id {JobId}', " +
                     $"or follow it again with 'Get-StudioJobLog -Id {JobId} -Follow'.", error.Exception.Message);
    }
}
