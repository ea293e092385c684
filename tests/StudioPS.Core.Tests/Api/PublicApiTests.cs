using StudioPS.Client;
using StudioPS.Waiting;
using Xunit;

namespace StudioPS.Core.Tests.Api;

/// <summary>
/// The public API of StudioPS.Core is deliberate: these tests fail when a public type or member
/// appears, changes or goes without the checked-in baseline being updated with it.
/// </summary>
public class PublicApiTests
{
    internal const string UpdateVariable = "STUDIOPS_UPDATE_API_BASELINE";

    private static string BaselinePath => Path.Combine(PublicApi.SourceFolder(), "StudioPS.Core.api.txt");

    [Fact]
    public void The_public_surface_matches_the_checked_in_baseline()
    {
        var actual = PublicApi.Describe(typeof(StudioClient).Assembly);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(BaselinePath, actual);
            return;
        }
        var expected = File.Exists(BaselinePath) ? File.ReadAllText(BaselinePath).Replace("\r\n", "\n") : string.Empty;
        if (expected == actual) return;
        Assert.Fail(
            "The public API of StudioPS.Core is not the one in " + BaselinePath + ".\n" +
            "Lines marked - are in the baseline only, lines marked + in the assembly only:\n\n" +
            PublicApi.Diff(expected, actual) + "\n" +
            "If the change is deliberate (every public member needs an XML doc comment too), update the baseline and commit it:\n" +
            $"  {UpdateVariable}=1 dotnet test tests/StudioPS.Core.Tests --filter FullyQualifiedName~PublicApiTests\n" +
            "If it is not, make the new type or member internal (the module and the tests are friend assemblies).");
    }

    [Fact]
    public void The_diff_names_what_appeared_and_what_went()
    {
        var diff = PublicApi.Diff("class A\n    public int X { get; }\n", "class A\n    public int Y { get; }\n");
        Assert.Equal("- " + "    public int X { get; }" + Environment.NewLine + "+ " + "    public int Y { get; }" + Environment.NewLine, diff);
    }

    [Fact]
    public void The_surface_lists_types_and_members_with_their_signatures()
    {
        var surface = PublicApi.Describe(typeof(StudioClient).Assembly);
        Assert.Contains("sealed class StudioPS.Session.StudioConnection : System.IDisposable\n", surface);
        Assert.Contains("    public static StudioPS.Session.StudioConnection Open(StudioPS.Session.StudioConnectionOptions? options = null)\n", surface);
        Assert.Contains("    public System.Threading.Tasks.Task<StudioPS.Models.StudioJob> GetJobAsync(string team, string id, bool includeSteps, StudioPS.Client.IStudioTrace trace, System.Threading.CancellationToken cancellationToken)\n", surface);
        Assert.Contains("enum StudioPS.Client.StudioErrorKind\n    BadRequest = 0\n", surface);
        Assert.DoesNotContain("JobWaiter", surface);
    }

    [Fact]
    public void Core_references_no_PowerShell_assembly()
    {
        var references = typeof(StudioClient).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("System.Text.Json", references);
        Assert.DoesNotContain(references, name => name.StartsWith("System.Management.Automation", StringComparison.OrdinalIgnoreCase)
                                                  || name.StartsWith("Microsoft.PowerShell", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_public_member_has_an_xml_doc_comment_in_the_shipped_file()
    {
        var xml = Path.ChangeExtension(typeof(StudioClient).Assembly.Location, ".xml");
        Assert.True(File.Exists(xml), xml + " is missing: GenerateDocumentationFile must stay on for StudioPS.Core.");
        var documented = System.Xml.Linq.XDocument.Load(xml).Descendants("member").Select(m => (string)m.Attribute("name")!).ToHashSet();
        var undocumented = typeof(StudioClient).Assembly.GetExportedTypes().Where(t => !documented.Contains("T:" + t.FullName)).Select(t => t.FullName).ToList();
        Assert.Empty(undocumented);
    }
}
