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

    /// <summary>Runs the command until its <paramref name="call"/>-th request is in flight (the last one hangs), then presses Ctrl+C and waits for it to end.</summary>
    private static void StopDuringCall(PowerShell shell, FakeHandler fake, int call)
    {
        var pending = shell.BeginInvoke();
        var waited = Stopwatch.StartNew();
        while (fake.Calls < call && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(10);
        Assert.Equal(call, fake.Calls);

        shell.Stop();
        Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Ctrl_C_during_Wait_StudioJob_warns_with_the_id_the_last_status_and_the_commands()
    {
        // The first poll answers RUNNING; the second never answers, so Stop() lands while the job is known to run.
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Running).Hang();
        using var connection = InProcessShell.Connection(fake, timeoutSec: 600);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Wait-StudioJob").AddParameter("Id", JobId).AddParameter("PollIntervalSec", 1).AddParameter("Connection", connection);
        StopDuringCall(shell, fake, 2);
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
        StopDuringCall(shell, fake, 3);
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
        StopDuringCall(shell, fake, 2);
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

    private const string PipelineId = "ec036e81-7903-4e4d-bbfa-ac8516341cf0";
    private static readonly string PipelineRunning =
        $$"""{"pipeline_id":"{{PipelineId}}","name":"rathe-kyat","status":"RUNNING","completed":3,"total":16,"triggered_from":"@ns.project.dataset"}""";
    private static readonly string PipelineSteps =
        $"pause it with 'Suspend-StudioPipeline -Id {PipelineId}', or follow it again with 'Wait-StudioPipeline -Id {PipelineId}'.";

    [Fact]
    public void Ctrl_C_during_Wait_StudioPipeline_warns_with_the_pipeline_its_last_status_and_the_commands()
    {
        // The first poll answers RUNNING; the second never answers, so Stop() lands while the pipeline is known to run.
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, PipelineRunning).Hang();
        using var connection = InProcessShell.Connection(fake, timeoutSec: 600);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Wait-StudioPipeline").AddParameter("Name", "rathe-kyat").AddParameter("PollIntervalSec", 1).AddParameter("Connection", connection);
        StopDuringCall(shell, fake, 2);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        var warning = Assert.Single(shell.Streams.Warning).Message;
        Assert.Equal($"Stopped waiting; pipeline rathe-kyat ({PipelineId}) is still RUNNING with 3 of 16 jobs done in Studio: {PipelineSteps}", warning);
    }

    [Fact]
    public void Ctrl_C_during_Invoke_StudioPipeline_Wait_names_the_pipeline_it_triggered()
    {
        var triggered = $$$"""{"ok":true,"pipeline":{"pipeline_id":"{{{PipelineId}}}","name":"rathe-kyat","status":"PENDING","completed":0,"total":16}}""";
        // The trigger answers; the first status poll never does: the notice uses the trigger's answer.
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, triggered).Hang();
        using var connection = InProcessShell.Connection(fake, timeoutSec: 600);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Invoke-StudioPipeline").AddParameter("Dataset", "@ns.project.dataset").AddParameter("Wait")
            .AddParameter("PollIntervalSec", 1).AddParameter("Connection", connection);
        StopDuringCall(shell, fake, 2);
        var warning = Assert.Single(shell.Streams.Warning).Message;
        Assert.Equal($"Stopped waiting; pipeline rathe-kyat ({PipelineId}) is still PENDING with 0 of 16 jobs done in Studio: {PipelineSteps}", warning);
    }

    [Fact]
    public void Ctrl_C_during_a_pipeline_wait_respects_WarningAction_SilentlyContinue()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, PipelineRunning).Hang();
        using var connection = InProcessShell.Connection(fake, timeoutSec: 600);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Wait-StudioPipeline").AddParameter("Id", PipelineId).AddParameter("PollIntervalSec", 1).AddParameter("Connection", connection)
            .AddParameter("WarningAction", ActionPreference.SilentlyContinue);
        StopDuringCall(shell, fake, 2);
        Assert.Empty(shell.Streams.Warning);
    }

    [Fact]
    public void A_pipeline_timeout_names_the_pipeline_its_status_and_the_commands_that_pause_or_follow_it()
    {
        var fake = new FakeHandler();
        for (var i = 0; i < 10; i++) fake.Respond(HttpStatusCode.OK, PipelineRunning);
        using var connection = InProcessShell.Connection(fake);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Wait-StudioPipeline").AddParameter("Name", "rathe-kyat").AddParameter("Timeout", 1).AddParameter("Connection", connection);
        var output = shell.Invoke();
        Assert.True(output.Count == 1, "errors: " + string.Join(" | ", shell.Streams.Error.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception)));
        Assert.Equal("RUNNING", Assert.IsType<StudioPS.Models.StudioPipeline>(Assert.Single(output).BaseObject).Status);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("WaitTimeout,StudioPS.Commands.WaitStudioPipelineCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Equal($"Pipeline rathe-kyat ({PipelineId}) did not finish within 1 s; it is still RUNNING with 3 of 16 jobs done in Studio: {PipelineSteps}",
            error.Exception.Message);
    }

    [Fact]
    public void A_pipeline_known_only_by_name_is_named_quoted_in_the_commands()
    {
        var pipeline = new StudioPS.Models.StudioPipeline { Name = "it's nightly", Status = "paused" };
        Assert.Equal("Stopped waiting; pipeline it's nightly is still PAUSED in Studio: pause it with 'Suspend-StudioPipeline -Name 'it''s nightly'', " +
                     "or follow it again with 'Wait-StudioPipeline -Name 'it''s nightly''.", StudioPS.Waiting.PipelineGuidance.Interrupted(pipeline));
    }
}
