using System.Management.Automation;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// Shows the connection cmdlets use: address, team, scheme, where the token came from, and the
/// token masked. With no connection made yet, shows the one the environment and config give.
/// </summary>
[Cmdlet(VerbsCommon.Get, "StudioConnection")]
[OutputType(typeof(StudioConnection))]
public sealed class GetStudioConnectionCommand : StudioCmdlet
{
    protected override void ProcessRecord() => Execute(() => WriteObject(CurrentConnection));
}
