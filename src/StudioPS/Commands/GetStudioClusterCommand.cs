using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>Lists compute clusters, filtered by name (wildcards) or to the default one.</summary>
[Cmdlet(VerbsCommon.Get, "StudioCluster")]
[OutputType(typeof(StudioCluster))]
public sealed class GetStudioClusterCommand : StudioCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ClusterName")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Only the team's default cluster.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    protected override void ProcessRecord()
    {
        Execute(() =>
        {
            var connection = CurrentConnection;
            var team = OptionalTeam();
            var patterns = (Name ?? new string[0]).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
            var matchedLiteral = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            RunStream(token => connection.Client.GetClustersAsync(team, this, token), cluster =>
            {
                if (Default && cluster.IsDefault != true) return;
                if (patterns.Count > 0 && !patterns.Any(p => p.IsMatch(cluster.Name ?? string.Empty))) return;
                if (cluster.Name != null) matchedLiteral.Add(cluster.Name);
                WriteObject(cluster);
            });
            // Like Get-Process -Name: a name without wildcards that matched nothing is an error.
            foreach (var name in Name ?? new string[0])
            {
                if (WildcardPattern.ContainsWildcardCharacters(name) || matchedLiteral.Contains(name)) continue;
                WriteError(ErrorRecords.Create("ClusterNotFound", ErrorCategory.ObjectNotFound,
                    $"No compute cluster named '{name}'{(Default ? " is the default" : string.Empty)}{(team == null ? string.Empty : $" for team '{team}'")}. Get-StudioCluster lists the clusters there are.",
                    name));
            }
        }, Name);
    }
}
