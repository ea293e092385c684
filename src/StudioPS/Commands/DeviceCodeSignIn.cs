using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using StudioPS.Client;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// Connect-Studio -UseDeviceCode: starts the device sign-in, shows the address and code on the
/// information stream (the console shows it, a runbook's log keeps it), opens the browser only in
/// an interactive console session, and waits for the token.
/// </summary>
internal static class DeviceCodeSignIn
{
    /// <summary>Tests replace the browser; null means the platform's own opener.</summary>
    internal static Func<Uri, bool>? BrowserOverride { get; set; }

    /// <summary>The token the person approved. Failures end the command (terminating errors).</summary>
    public static string Run(PSCmdlet cmdlet, CmdletRunner runner, Uri baseUri, bool allowUnencrypted, DeviceLoginOptions options,
        TimeSpan? timeout, bool noBrowser, int maxRetries)
    {
        using var flow = new DeviceLoginFlow(baseUri, allowUnencrypted, UserAgent.For(cmdlet),
            TimeSpan.FromSeconds(StudioConnectionOptions.DefaultTimeoutSec), maxRetries);
        try
        {
            var challenge = runner.Run(token => flow.StartAsync(options, runner, token));
            var minutes = challenge.ExpiresInSeconds > 0 ? $" The code expires in {Math.Max(1, (int)Math.Round(challenge.ExpiresInSeconds / 60.0))} minutes." : string.Empty;
            var message = $"To sign in to Studio at {baseUri}, open {challenge.BrowserUri} in a browser and approve the code {challenge.UserCode}.{minutes}";
            // The code and the address come from the server: shown escaped, like every other server text.
            cmdlet.WriteInformation(new HostInformationMessage { Message = SafeText.Clean(message, null) }, new[] { "PSHOST", "StudioPS.DeviceCode" });

            if (noBrowser)
                cmdlet.WriteVerbose("Not opening a browser (-NoBrowser).");
            else if (!IsInteractive(cmdlet, out var why))
                cmdlet.WriteVerbose("Not opening a browser: " + why);
            else if (!OpenBrowser(challenge.BrowserUri))
                cmdlet.WriteWarning(SafeText.Clean($"Could not open a browser. Open {challenge.BrowserUri} yourself to approve the code {challenge.UserCode}.", null));

            var accessToken = runner.Run(token => flow.WaitForTokenAsync(challenge, timeout, runner, token));
            cmdlet.WriteVerbose(SafeText.Clean($"Signed in: Studio issued the token {ConnectionSettings.MaskToken(accessToken)}" +
                                (challenge.TokenName == null ? "." : $" named '{challenge.TokenName}'."), null));
            return accessToken;
        }
        catch (DeviceLoginException error)
        {
            var category = error.Failure == DeviceLoginFailure.TimedOut ? ErrorCategory.OperationTimeout : ErrorCategory.AuthenticationError;
            ErrorRecords.Terminate(cmdlet, ErrorRecords.Create(error.ErrorId, category, error.Message, baseUri, error));
            throw;
        }
        catch (StudioApiException error)
        {
            ErrorRecords.Terminate(cmdlet, ErrorRecords.FromApi(error, baseUri));
            throw;
        }
    }

    /// <summary>
    /// A person at a console: not a runbook, job, remote or hosted runspace (their host is not the
    /// console host), not pwsh -NonInteractive, not a CI agent, and on Linux a desktop to show a browser on.
    /// </summary>
    internal static bool IsInteractive(PSCmdlet cmdlet, out string why)
    {
        why = string.Empty;
        if (!Environment.UserInteractive) { why = "this process is not interactive."; return false; }
        if (!string.Equals(cmdlet.Host?.Name, "ConsoleHost", StringComparison.Ordinal))
        {
            why = $"the PowerShell host '{cmdlet.Host?.Name}' is not an interactive console (a runbook, job or hosted runspace).";
            return false;
        }
        if (Environment.GetCommandLineArgs().Skip(1).Any(a => a.StartsWith("-noni", StringComparison.OrdinalIgnoreCase)))
        {
            why = "PowerShell runs with -NonInteractive.";
            return false;
        }
        if (Console.IsInputRedirected) { why = "the console input is redirected."; return false; }
        if (IsSet("CI") || IsSet("TF_BUILD") || IsSet("GITHUB_ACTIONS")) { why = "a CI agent runs this session."; return false; }
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && !IsSet("DISPLAY") && !IsSet("WAYLAND_DISPLAY"))
        {
            why = "there is no desktop (DISPLAY) to show a browser on.";
            return false;
        }
        return true;
    }

    private static bool IsSet(string name) => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name));

    /// <summary>Opens an http(s) address in the default browser; false when that failed.</summary>
    private static bool OpenBrowser(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) return false;
        if (BrowserOverride != null) return BrowserOverride(uri);
        try
        {
            ProcessStartInfo start;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                start = new ProcessStartInfo(uri.AbsoluteUri) { UseShellExecute = true };
            else
                start = new ProcessStartInfo(RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "open" : "xdg-open", "\"" + uri.AbsoluteUri + "\"")
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
            using var process = Process.Start(start);
            return process != null;
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception || error is InvalidOperationException)
        {
            return false;
        }
    }
}
