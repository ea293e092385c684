using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using StudioPS.Commands;
using StudioPS.Core.Tests.Support;
using StudioPS.Tests.Support;
using Xunit;

namespace StudioPS.Tests.Commands;

/// <summary>
/// Warnings, verbose lines, progress and errors may quote a server: each passes the connection's redactor and has
/// its control characters escaped on the way out, whoever built the text; log lines stay as the job wrote them.
/// </summary>
public class ServerTextTests
{
    private const string JobId = "0f8a4c1e-5b2d-4e7a-9c3f-123456789abc";
    private const char Esc = '\u001b';

    /// <summary>A Studio cmdlet that writes whatever text it is given to the stream it is told.</summary>
    [Cmdlet("Test", "ServerText")]
    public sealed class TestServerTextCommand : StudioCmdlet
    {
        [Parameter(Mandatory = true)] public string Stream { get; set; } = "";
        [Parameter(Mandatory = true)] public string Text { get; set; } = "";

        protected override void ProcessRecord()
        {
            switch (Stream)
            {
                case "Warning": WriteWarning(Text); break;
                case "Verbose": WriteVerbose(Text); break;
                case "Progress": WriteProgress(new ProgressRecord(1, Text, Text) { CurrentOperation = Text }); break;
                case "Error": WriteError(ErrorRecords.Create("Test", ErrorCategory.InvalidData, Text, null)); break;
                case "Terminating": ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(Text), "Test", ErrorCategory.InvalidData, null)); break;
                case "Trace": ((StudioPS.Client.IStudioTrace)this).Verbose(Text); break;
            }
        }
    }

    private static PowerShell Shell()
    {
        var state = InitialSessionState.CreateDefault();
        state.ImportPSModule(new[] { typeof(StudioCmdlet).Assembly.Location });
        state.Commands.Add(new SessionStateCmdletEntry("Test-ServerText", typeof(TestServerTextCommand), null));
        return PowerShell.Create(state);
    }

    private static void AssertClean(string shown)
    {
        Assert.DoesNotContain(Esc, shown); // the char overload: a culture-aware string search ignores control characters
        Assert.Contains("\\u001b[2J", shown);
        Assert.DoesNotContain(InProcessShell.Token.Substring(0, 9), shown);
        Assert.Contains("[redacted]", shown);
    }

    [Theory]
    [InlineData("Warning")]
    [InlineData("Verbose")]
    [InlineData("Progress")]
    [InlineData("Error")]
    [InlineData("Terminating")]
    [InlineData("Trace")]
    public void Every_stream_a_Studio_cmdlet_writes_is_redacted_and_escaped(string stream)
    {
        using var connection = InProcessShell.Connection(new FakeHandler());
        using var shell = Shell();
        shell.AddCommand("Test-ServerText").AddParameter("Stream", stream)
            .AddParameter("Text", $"the server says{Esc}[2J: {InProcessShell.Token} and the\nend")
            .AddParameter("Connection", connection).AddParameter("Verbose");
        string shown;
        if (stream == "Terminating")
        {
            var thrown = Assert.Throws<CmdletInvocationException>(() => shell.Invoke()).ErrorRecord;
            shown = thrown.ErrorDetails.Message;
        }
        else
        {
            shell.Invoke();
            shown = stream switch
            {
                "Warning" => Assert.Single(shell.Streams.Warning).Message,
                "Verbose" or "Trace" => Assert.Single(shell.Streams.Verbose).Message,
                "Progress" => string.Join("|", shell.Streams.Progress.Select(p => p.Activity + p.StatusDescription + p.CurrentOperation)),
                _ => Assert.Single(shell.Streams.Error).ErrorDetails.Message,
            };
        }
        AssertClean(shown);
        // Verbose keeps line breaks (a trace is several lines); the others show them escaped.
        Assert.Contains(stream is "Verbose" or "Trace" ? "the\nend" : "the\\nend", shown);
    }

    [Fact]
    public void A_failed_job_s_server_message_and_name_reach_errors_and_progress_redacted_and_escaped()
    {
        var running = $$"""[{"id":"{{JobId}}","name":"train{{"\\u001b"}}[2J","status":"RUNNING","created_at":"2026-11-30T10:00:00Z"}]""";
        var failed = $$"""[{"id":"{{JobId}}","name":"train{{"\\u001b"}}[2J","status":"FAILED","exit_code":1,"error_message":"boom{{"\\u001b"}}[2J {{InProcessShell.Token}}","created_at":"2026-11-30T10:00:00Z"}]""";
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, running).Respond(HttpStatusCode.OK, failed).Respond(HttpStatusCode.OK, failed);
        using var connection = InProcessShell.Connection(fake);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Wait-StudioJob").AddParameter("Id", JobId).AddParameter("PollIntervalSec", 1).AddParameter("Connection", connection);
        var results = shell.Invoke();

        var job = Assert.IsType<StudioPS.Models.StudioJob>(Assert.Single(results).BaseObject);
        Assert.Equal("train" + Esc + "[2J", job.Name); // the object keeps the server's value for scripts
        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("JobFailed,", error.FullyQualifiedErrorId);
        AssertClean(error.ErrorDetails.Message);
        var progress = string.Join("|", shell.Streams.Progress.Select(p => p.Activity + " " + p.StatusDescription));
        Assert.DoesNotContain(Esc, progress);
        Assert.Contains("train\\u001b[2J", progress);
    }
}
