using System;
using System.Management.Automation;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// Shows the default team, as 'datachain auth team' does: DATACHAIN_STUDIO_TEAM, else studio.team of
/// the merged config files; with -ConfigScope, the one file's. Writes nothing when no team is set.
/// </summary>
[Cmdlet(VerbsCommon.Get, "StudioDefaultTeam")]
[OutputType(typeof(StudioSetting))]
public sealed class GetStudioDefaultTeamCommand : PSCmdlet
{
    [Parameter]
    public ConfigScope? ConfigScope { get; set; }

    protected override void ProcessRecord()
    {
        ErrorRecords.Guard(this, () =>
        {
            StudioSetting? setting;
            if (ConfigScope.HasValue)
            {
                var path = SavedTokenCommands.PathOf(ConfigScope.Value, ConnectionResolver.CurrentDirectory(this));
                var team = SavedTokenCommands.Read(this, path).Team;
                setting = team == null ? null : new StudioSetting("team", team, SettingSource.ConfigFile, path);
            }
            else
            {
                var fromEnvironment = Environment.GetEnvironmentVariable(ConnectionSettings.TeamVariable);
                var fromConfig = DatachainConfig.Load(Environment.GetEnvironmentVariable, ConnectionResolver.CurrentDirectory(this)).Get("studio.team");
                setting = !string.IsNullOrWhiteSpace(fromEnvironment)
                    ? new StudioSetting("team", fromEnvironment!.Trim(), SettingSource.Environment, ConnectionSettings.TeamVariable)
                    : fromConfig != null && !string.IsNullOrWhiteSpace(fromConfig.Value)
                        ? new StudioSetting("team", fromConfig.Value.Trim(), SettingSource.ConfigFile, fromConfig.Path)
                        : null;
            }
            if (setting == null) WriteVerbose("No default team is set. Set one with Set-StudioDefaultTeam.");
            else WriteObject(setting);
        }, null);
    }
}
