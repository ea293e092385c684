using System.Management.Automation;
using System.Security;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// The saved Studio token for other tools, as 'datachain auth token' prints it: from the datachain
/// config files (merged, or one level with -ConfigScope). A SecureString unless -AsPlainText.
/// </summary>
[Cmdlet(VerbsCommon.Get, "StudioAccessToken")]
[OutputType(typeof(SecureString), typeof(string))]
public sealed class GetStudioAccessTokenCommand : PSCmdlet
{
    [Parameter]
    public ConfigScope? ConfigScope { get; set; }

    /// <summary>Writes the token as plain text, for a tool that needs it so.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    protected override void ProcessRecord()
    {
        ErrorRecords.Guard(this, () =>
        {
            string? token;
            string where;
            if (ConfigScope.HasValue)
            {
                where = SavedTokenCommands.PathOf(ConfigScope.Value, ConnectionResolver.CurrentDirectory(this));
                token = SavedTokenCommands.Read(this, where).Token;
            }
            else
            {
                var environment = (System.Func<string, string?>)System.Environment.GetEnvironmentVariable;
                var value = DatachainConfig.Load(environment, ConnectionResolver.CurrentDirectory(this)).Get("studio.token");
                token = value == null || string.IsNullOrWhiteSpace(value.Value) ? null : value.Value.Trim();
                where = string.Join(", ", DatachainConfig.Locate(environment, ConnectionResolver.CurrentDirectory(this)));
            }
            if (token == null)
                ThrowTerminatingError(ErrorRecords.Create("NoSavedToken", ErrorCategory.ObjectNotFound,
                    $"No Studio token is saved in {where}. Save one with 'Connect-Studio -UseDeviceCode -Save' (or 'datachain auth login').", null));
            if (AsPlainText) WriteObject(token);
            else WriteObject(SecureText.ToSecureString(token!));
        }, null);
    }
}
