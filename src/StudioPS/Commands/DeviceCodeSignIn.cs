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

            // The warning names the address and code from the server: escaped, like every other server text.
            OfferBrowser(challenge, noBrowser, noBrowser ? null : WhyNotInteractive(cmdlet), OpenBrowser, cmdlet.WriteVerbose,
                text => cmdlet.WriteWarning(SafeText.Clean(text, null)));

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
    /// Opens the code's address in a browser only when asked to (no -NoBrowser) and a person is at an
    /// interactive console (<paramref name="whyNotInteractive"/> null); says in -Verbose why not, and
    /// warns with the address and code when the browser could not be opened.
    /// </summary>
    internal static void OfferBrowser(DeviceLoginChallenge challenge, bool noBrowser, string? whyNotInteractive, Func<Uri, bool> open,
        Action<string> verbose, Action<string> warn)
    {
        if (noBrowser)
            verbose("Not opening a browser (-NoBrowser).");
        else if (whyNotInteractive != null)
            verbose("Not opening a browser: " + whyNotInteractive);
        else if (!open(challenge.BrowserUri))
            warn($"Could not open a browser. Open {challenge.BrowserUri} yourself to approve the code {challenge.UserCode}.");
    }

    /// <summary>Why this session has no person at a console to show a browser to; null when it has one.</summary>
    internal static string? WhyNotInteractive(PSCmdlet cmdlet) =>
        WhyNotInteractive(Environment.UserInteractive, cmdlet.Host?.Name, Environment.GetCommandLineArgs(), Console.IsInputRedirected,
            Environment.GetEnvironmentVariable, RuntimeInformation.IsOSPlatform(OSPlatform.Linux));

    /// <summary>
    /// A person at a console: not a runbook, job, remote or hosted runspace (their host is not the
    /// console host), not pwsh -NonInteractive, not a CI agent, and on Linux a desktop to show a browser on.
    /// </summary>
    internal static string? WhyNotInteractive(bool userInteractive, string? hostName, string[] commandLine, bool inputRedirected,
        Func<string, string?> environment, bool isLinux)
    {
        bool IsSet(string name) => !string.IsNullOrWhiteSpace(environment(name));
        if (!userInteractive) return "this process is not interactive.";
        if (!string.Equals(hostName, "ConsoleHost", StringComparison.Ordinal))
            return $"the PowerShell host '{hostName}' is not an interactive console (a runbook, job or hosted runspace).";
        if (commandLine.Skip(1).Any(a => a.StartsWith("-noni", StringComparison.OrdinalIgnoreCase)))
            return "PowerShell runs with -NonInteractive.";
        if (inputRedirected) return "the console input is redirected.";
        if (IsSet("CI") || IsSet("TF_BUILD") || IsSet("GITHUB_ACTIONS")) return "a CI agent runs this session.";
        if (isLinux && !IsSet("DISPLAY") && !IsSet("WAYLAND_DISPLAY")) return "there is no desktop (DISPLAY) to show a browser on.";
        return null;
    }

    /// <summary>Opens an http(s) address in the default browser; false when that failed.</summary>
    private static bool OpenBrowser(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) return false;
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
