using StudioPS.Input;
using Xunit;

namespace StudioPS.Core.Tests.Input;

public class InputChecksTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_team_is_TeamRequired_naming_every_place_to_set_one(string? team)
    {
        var error = Assert.Throws<StudioInputException>(() => InputChecks.RequiredTeam(team));
        Assert.Equal("TeamRequired", error.ErrorId);
        Assert.Equal("Team", error.ParamName);
        foreach (var place in new[] { "-Team", "DATACHAIN_STUDIO_TEAM", "Connect-Studio", "studio.team" })
            Assert.Contains(place, error.Message);
    }

    [Fact]
    public void A_team_is_trimmed_and_checked()
    {
        Assert.Equal("acme", InputChecks.RequiredTeam("  acme "));
        Assert.Equal("InvalidTeam", Assert.Throws<StudioInputException>(() => InputChecks.RequiredTeam("a/b")).ErrorId);
    }

    [Fact]
    public void Unknown_statuses_get_one_warning_each_and_known_ones_none()
    {
        var warnings = InputChecks.UnknownStatusWarnings(new[] { "RUNNING", "RUNING" }, new[] { "RUNNING", "FAILED" }, "job").ToList();
        Assert.Equal("'RUNING' is not a job status StudioPS knows (RUNNING, FAILED); it is sent as given.", Assert.Single(warnings));
    }

    [Fact]
    public void A_pipeline_selector_needs_a_name_or_an_id()
    {
        Assert.Equal("PipelineSelectorRequired", Assert.Throws<StudioInputException>(() => InputChecks.PipelineSelector(" ", null)).ErrorId);
        Assert.Equal(("p1", (string?)null), InputChecks.PipelineSelector(" p1 ", null));
    }

    [Fact]
    public void An_output_folder_may_be_missing_but_neither_it_nor_a_parent_may_be_a_file()
    {
        using var temp = new StudioPS.Core.Tests.Support.TempFolder();
        var file = temp.Write("a-file", "x");
        InputChecks.OutputFolder(temp.Path, "here");
        InputChecks.OutputFolder(Path.Combine(temp.Path, "new", "deeper"), "new/deeper");

        var itself = Assert.Throws<StudioInputException>(() => InputChecks.OutputFolder(file, "a-file"));
        Assert.Equal(("PathIsFile", "Path"), (itself.ErrorId, itself.ParamName));
        Assert.Contains("-Path 'a-file' is a file", itself.Message);
        var under = Assert.Throws<StudioInputException>(() => InputChecks.OutputFolder(Path.Combine(file, "x", "y"), "a-file/x/y"));
        Assert.Equal("PathIsFile", under.ErrorId);
        Assert.Contains($"lies under '{file}', which is a file", under.Message);
    }
}
