using System;
using System.Management.Automation;
using StudioPS.Input;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>Saves the default team (studio.team) in the datachain config file at a level, as 'datachain auth team NAME' does.</summary>
[Cmdlet(VerbsCommon.Set, "StudioDefaultTeam", SupportsShouldProcess = true)]
[OutputType(typeof(StudioSetting))]
public sealed class SetStudioDefaultTeamCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Team", "Value")]
    [ArgumentCompleter(typeof(TeamCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter]
    public ConfigScope ConfigScope { get; set; } = ConfigScope.Global;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        ErrorRecords.Guard(this, () =>
        {
            var team = InputChecks.Team(Name, "Name");
            var path = SavedTokenCommands.PathOf(ConfigScope, ConnectionResolver.CurrentDirectory(this));
            if (!ShouldProcess(path, $"Set the default Studio team to '{team}'")) return;
            SavedTokenCommands.Write(this, path, () => SavedLogin.SetTeam(path, team));
            WriteVerbose($"The default team in {path} is now '{team}'.");
            var current = StudioSession.Default;
            if (current != null && current.Team != team && current.TeamSource != SettingSource.Parameter)
                WriteVerbose($"The open connection keeps team '{current.Team ?? "(none)"}' until Connect-Studio runs again.");
            if (PassThru) WriteObject(new StudioSetting("team", team, SettingSource.ConfigFile, path));
        }, null);
    }
}
