using System.Management.Automation;
using StudioPS.Session;

namespace StudioPS;

/// <summary>Closes the default connection (and its sockets) when the module is removed.</summary>
public sealed class ModuleLifetime : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo psModuleInfo) => StudioSession.Clear();
}
