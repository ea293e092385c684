using StudioPS.Emulator.Api;
using StudioPS.Emulator.State;
using static StudioPS.Emulator.State.QueryScript;

namespace StudioPS.Emulator.Tests;

public sealed class QueryConventionTests
{
    [Fact]
    public void Python_and_shell_statements_become_steps_and_everything_else_is_ignored()
    {
        var script = QueryScript.Parse("""
            import time
            print("a 'quoted' line")
            time.sleep(1.5)
            x = compute()
            echo "shell line"
            sleep 2
            raise KeyError('missing')
            # emulator: lines=10 interval_ms=5 prefix=row
            sys.exit(2)
            exit 3
            """);
        Assert.Equal<Step>(
        [
            new LogStep("a 'quoted' line"), new SleepStep(1.5), new LogStep("shell line"), new SleepStep(2),
            new RaiseStep("KeyError", "missing"), new GenerateStep(10, 5, "row"), new ExitStep(2), new ExitStep(3),
        ], script.Steps);
    }

    [Fact]
    public void Trailing_comments_are_allowed_but_not_inside_quotes()
    {
        var script = QueryScript.Parse("exit 3   # fail on purpose\nprint('#1 of many')  # note\nx = 1; print('no')");
        Assert.Equal<Step>([new ExitStep(3), new LogStep("#1 of many")], script.Steps);
    }

    [Theory]
    [InlineData("0 0 * * *", true)]
    [InlineData("*/15 9-17 * * MON-FRI", true)]
    [InlineData("0 0 1 JAN,JUL *", true)]
    [InlineData("@hourly", true)]
    [InlineData("@every_minute", false)]
    [InlineData("0 0 * *", false)]
    [InlineData("0 24 * * *", false)]
    [InlineData("0 0 * * 8", false)]
    public void Cron_expressions_are_checked_field_by_field(string cron, bool valid) =>
        Assert.Equal(valid, JobInput.ValidateCron(cron) is null);
}
