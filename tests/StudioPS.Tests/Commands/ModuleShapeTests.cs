using System.Management.Automation;
using Xunit;

namespace StudioPS.Tests.Commands;

/// <summary>StudioPS.dll is the PowerShell face only: everything else lives, internal or deliberately public, in StudioPS.Core.</summary>
public class ModuleShapeTests
{
    private static readonly System.Reflection.Assembly Module = typeof(StudioPS.Commands.StudioCmdlet).Assembly;

    [Fact]
    public void The_module_makes_public_only_cmdlets_and_what_PowerShell_needs()
    {
        var others = Module.GetExportedTypes().Where(t =>
                !typeof(Cmdlet).IsAssignableFrom(t)
                && !typeof(IArgumentCompleter).IsAssignableFrom(t)
                && !typeof(ArgumentTransformationAttribute).IsAssignableFrom(t)
                && !typeof(IModuleAssemblyCleanup).IsAssignableFrom(t))
            .Select(t => t.FullName).ToList();
        Assert.Empty(others);
    }

    [Fact]
    public void Every_cmdlet_sits_at_most_one_StudioPS_class_below_PSCmdlet()
    {
        var cmdlets = Module.GetExportedTypes().Where(t => !t.IsAbstract && typeof(Cmdlet).IsAssignableFrom(t)).ToList();
        Assert.True(cmdlets.Count >= 17, $"only {cmdlets.Count} cmdlets found");
        foreach (var cmdlet in cmdlets)
        {
            var parent = cmdlet.BaseType!;
            Assert.True(parent == typeof(PSCmdlet) || parent.BaseType == typeof(PSCmdlet),
                $"{cmdlet.Name} derives from {parent.Name}, which is not PSCmdlet or one shallow base on it");
        }
    }

    [Fact]
    public void The_module_references_Core_for_everything_that_is_not_PowerShell()
    {
        var references = Module.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("StudioPS.Core", references);
        Assert.Contains("System.Management.Automation", references);
    }
}
