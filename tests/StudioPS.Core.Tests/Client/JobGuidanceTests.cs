using StudioPS.Client;
using StudioPS.Waiting;
using Xunit;

namespace StudioPS.Core.Tests.Client;

public class JobGuidanceTests
{
    [Theory]
    [InlineData("RUNNING", true)]
    [InlineData("queued", true)]
    [InlineData("CREATED", true)]
    [InlineData("SCHEDULED", true)]
    [InlineData("TASK", true)]
    [InlineData("COMPLETE", false)]
    [InlineData("FAILED", false)]
    [InlineData("CANCELED", false)]
    [InlineData("CANCELING", false)]
    [InlineData(null, false)]
    public void Only_a_job_a_cancel_can_still_change_is_stoppable(string? status, bool stoppable) =>
        Assert.Equal(stoppable, JobGuidance.CanStop(status));

    [Fact]
    public void An_interrupted_wait_names_the_job_its_last_status_and_both_commands_in_one_line()
    {
        var text = JobGuidance.Interrupted("abc", "running");
        Assert.Equal("Stopped waiting; job abc is still RUNNING in Studio: stop it with 'Stop-StudioJob -Id abc', or follow it again with 'Get-StudioJobLog -Id abc -Follow'.", text);
        Assert.DoesNotContain("\n", text);
    }

    [Fact]
    public void A_status_never_read_is_said_plainly() =>
        Assert.Contains("still running (its status was not read yet)", JobGuidance.Interrupted("abc", null));
}
