using StudioPS.Commands;
using StudioPS.Session;
using Xunit;

namespace StudioPS.Tests.Commands;

/// <summary>Connect-Studio -UseDeviceCode opens the browser only for a person at an interactive console, and says why not otherwise.</summary>
public class DeviceCodeSignInTests
{
    private static readonly DeviceLoginChallenge Challenge = new("secret", "ABCD-EFGH", new Uri("https://studio.example.com/auth/device"),
        new Uri("https://studio.example.com/api/device-login/token"), null, 900, null);

    private static readonly string[] PwshArgs = { "pwsh" };

    private static string? Desktop(string name) => name == "DISPLAY" ? ":0" : null;

    private static (List<Uri> Opened, List<string> Verbose, List<string> Warnings) Offer(bool noBrowser, string? whyNot, bool opens = true)
    {
        var opened = new List<Uri>();
        var verbose = new List<string>();
        var warnings = new List<string>();
        DeviceCodeSignIn.OfferBrowser(Challenge, noBrowser, whyNot, uri => { opened.Add(uri); return opens; }, verbose.Add, warnings.Add);
        return (opened, verbose, warnings);
    }

    [Fact]
    public void Opens_the_address_with_the_code_in_an_interactive_session()
    {
        var (opened, verbose, warnings) = Offer(noBrowser: false, whyNot: null);
        Assert.Equal("https://studio.example.com/auth/device?code=ABCD-EFGH", Assert.Single(opened).AbsoluteUri);
        Assert.Empty(verbose);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Opens_nothing_with_NoBrowser_or_without_a_person_and_says_why()
    {
        var (opened, verbose, _) = Offer(noBrowser: true, whyNot: null);
        Assert.Empty(opened);
        Assert.Equal("Not opening a browser (-NoBrowser).", Assert.Single(verbose));

        (opened, verbose, _) = Offer(noBrowser: false, whyNot: "a CI agent runs this session.");
        Assert.Empty(opened);
        Assert.Equal("Not opening a browser: a CI agent runs this session.", Assert.Single(verbose));
    }

    [Fact]
    public void Warns_with_the_address_and_code_when_the_browser_does_not_open()
    {
        var (_, _, warnings) = Offer(noBrowser: false, whyNot: null, opens: false);
        Assert.Equal("Could not open a browser. Open https://studio.example.com/auth/device?code=ABCD-EFGH yourself to approve the code ABCD-EFGH.",
            Assert.Single(warnings));
    }

    [Fact]
    public void A_console_host_with_a_desktop_is_interactive()
    {
        Assert.Null(DeviceCodeSignIn.WhyNotInteractive(true, "ConsoleHost", PwshArgs, false, Desktop, isLinux: true));
        Assert.Null(DeviceCodeSignIn.WhyNotInteractive(true, "ConsoleHost", PwshArgs, false, _ => null, isLinux: false));
    }

    [Theory]
    [InlineData("process", "this process is not interactive.")]
    [InlineData("host", "the PowerShell host 'Default Host' is not an interactive console (a runbook, job or hosted runspace).")]
    [InlineData("noninteractive", "PowerShell runs with -NonInteractive.")]
    [InlineData("redirected", "the console input is redirected.")]
    [InlineData("ci", "a CI agent runs this session.")]
    [InlineData("nodisplay", "there is no desktop (DISPLAY) to show a browser on.")]
    public void Each_sign_of_no_person_at_a_console_is_named(string case_, string why)
    {
        Func<string, string?> environment = case_ switch
        {
            "ci" => name => name == "GITHUB_ACTIONS" ? "true" : Desktop(name),
            "nodisplay" => _ => null,
            _ => Desktop,
        };
        Assert.Equal(why, DeviceCodeSignIn.WhyNotInteractive(
            userInteractive: case_ != "process",
            hostName: case_ == "host" ? "Default Host" : "ConsoleHost",
            commandLine: case_ == "noninteractive" ? new[] { "pwsh", "-NonInteractive" } : PwshArgs,
            inputRedirected: case_ == "redirected",
            environment,
            isLinux: true));
    }
}
