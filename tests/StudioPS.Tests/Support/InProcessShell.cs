using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Security;
using StudioPS.Session;

namespace StudioPS.Tests.Support;

/// <summary>Runs the module's cmdlets in-process, against a connection whose network is a fake handler.</summary>
public static class InProcessShell
{
    public const string Token = "isat_InProcessTestToken0123456789abcdef";

    public static PowerShell Create()
    {
        var state = InitialSessionState.CreateDefault();
        state.ImportPSModule(new[] { typeof(StudioPS.Commands.StudioCmdlet).Assembly.Location });
        var shell = PowerShell.Create(state);
        return shell;
    }

    public static StudioConnection Connection(HttpMessageHandler fake, string? team = "t1", int timeoutSec = 30, int retries = 0)
    {
        var settings = new ResolvedSettings
        {
            Token = Token,
            TokenSource = SettingSource.Parameter,
            Team = team,
            TeamSource = SettingSource.Parameter,
            BaseUri = new Uri("https://studio.example"),
        };
        return new StudioConnection(settings, new StudioConnectionOptions
        {
            TimeoutSec = timeoutSec,
            MaxRetries = retries,
            UserAgent = "StudioPS/test",
            PrimaryHandler = fake,
        });
    }
}
