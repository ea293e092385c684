using StudioPS.Input;
using StudioPS.Models;
using Xunit;

namespace StudioPS.Core.Tests.Datasets;

public class DatasetSelectorTests
{
    private static StudioDataset Dataset(string ns, string project, string name) =>
        new StudioDataset { Namespace = ns, Project = project, Name = name, FullName = ns + "." + project + "." + name };

    [Fact]
    public void A_full_name_is_exact_and_keeps_the_at_of_a_personal_namespace()
    {
        var s = DatasetSelector.Parse("@alice.demo.raw", "Name", allowWildcards: true);
        Assert.True(s.IsExact);
        Assert.Equal(("@alice", "demo", "raw", "@alice.demo.raw"), (s.Namespace, s.Project, s.Name, s.FullName));
        var plain = DatasetSelector.Parse("dev.demo.raw", "Name", allowWildcards: true);
        Assert.Equal("dev", plain.Namespace);
    }

    [Fact]
    public void A_short_name_is_sent_as_the_prefix_and_matches_only_that_name_in_any_namespace()
    {
        var s = DatasetSelector.Parse("raw", "Name", allowWildcards: true);
        Assert.False(s.IsExact);
        Assert.Equal("raw", s.Prefix);
        Assert.True(s.Matches(Dataset("@a", "p", "raw")));
        Assert.True(s.Matches(Dataset("@b", "q", "raw")));
        Assert.False(s.Matches(Dataset("@a", "p", "rawer")));
    }

    [Theory]
    [InlineData("ra*", "ra", "raw", true)]
    [InlineData("ra*", "ra", "draw", false)]
    [InlineData("*aw", null, "draw", true)]
    [InlineData("r?w", "r", "raw", true)]
    [InlineData("r[ab]w", "r", "rbw", true)]
    [InlineData("r[ab]w", "r", "rcw", false)]
    public void A_wildcard_sends_its_literal_head_and_filters_the_rest_here(string pattern, string? prefix, string name, bool matches)
    {
        var s = DatasetSelector.Parse(pattern, "Name", allowWildcards: true);
        Assert.Equal(prefix, s.Prefix);
        Assert.Equal(matches, s.Matches(Dataset("@a", "p", name)));
    }

    [Fact]
    public void A_full_name_with_wildcards_matches_the_whole_name()
    {
        var s = DatasetSelector.Parse("@alice.demo.*", "Name", allowWildcards: true);
        Assert.False(s.IsExact);
        Assert.Null(s.Prefix);
        Assert.True(s.Matches(Dataset("@alice", "demo", "raw")));
        Assert.False(s.Matches(Dataset("@bob", "demo", "raw")));
        Assert.Equal("c", DatasetSelector.Parse("@alice.*.c*", "Name", true).Prefix);
    }

    [Fact]
    public void Internal_ds_query_datasets_match_only_a_pattern_that_asks_for_them()
    {
        Assert.False(DatasetSelector.Parse("*", "Name", true).Matches(Dataset("@a", "p", "ds_query_123")));
        Assert.True(DatasetSelector.Parse("ds_query_*", "Name", true).Matches(Dataset("@a", "p", "ds_query_123")));
    }

    [Fact]
    public void A_version_is_read_where_allowed_and_checked()
    {
        var s = DatasetSelector.Parse("@a.p.raw@1.0.2", "Name", allowWildcards: false, allowVersion: true);
        Assert.Equal(("raw", "1.0.2"), (s.Name, s.Version));
        var bad = Assert.Throws<StudioInputException>(() => DatasetSelector.Parse("@a.p.raw@latest", "Name", false, true));
        Assert.Equal("InvalidVersion", bad.ErrorId);
        var notHere = Assert.Throws<StudioInputException>(() => DatasetSelector.Parse("@a.p.raw@1.0.0", "Name", true));
        Assert.Contains("-Version", notHere.Message);
        Assert.Equal("1.2.3", DatasetSelector.CheckVersion(" 1.2.3 "));
        Assert.Throws<StudioInputException>(() => DatasetSelector.CheckVersion("1.x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("demo.raw")]
    [InlineData("a.b.c.d")]
    [InlineData("na me")]
    [InlineData("@a.@p.raw")]
    [InlineData("@a.p.@raw")]
    public void Malformed_names_are_refused_naming_the_parameter(string text)
    {
        var error = Assert.Throws<StudioInputException>(() => DatasetSelector.Parse(text, "Name", allowWildcards: true));
        Assert.Equal("InvalidDatasetName", error.ErrorId);
        Assert.Contains("-Name", error.Message);
    }

    [Fact]
    public void A_wildcard_is_refused_where_one_dataset_must_be_named()
    {
        var error = Assert.Throws<StudioInputException>(() => DatasetSelector.Parse("ra*", "Name", allowWildcards: false));
        Assert.Contains("needs one dataset", error.Message);
    }

    [Theory]
    [InlineData("@alice.demo.raw@1.0.2", true)]
    [InlineData("dev.demo.raw@2", true)]
    [InlineData("@alice.demo.raw@1.0.0-rc.1", true)]
    [InlineData("raw@1.0", true)]
    [InlineData("@alice.demo.raw", true)]
    [InlineData("raw@latest", false)]
    [InlineData("raw@v1", false)]
    [InlineData("raw@1.0.0.0", false)]
    [InlineData("@alice.demo.ra w", false)]
    [InlineData("@alice.de@mo.raw", false)]
    [InlineData("@alice.@demo.raw", false)]
    [InlineData("@raw", false)]
    [InlineData("raw@", false)]
    public void The_pipelines_dataset_names_and_the_dataset_cmdlets_names_follow_one_rule(string text, bool valid)
    {
        // DatasetName (Invoke-StudioPipeline -Dataset) owns the rule; DatasetSelector (the dataset cmdlets) uses it.
        var viaName = Record.Exception(() => DatasetName.Parse(text));
        var viaSelector = Record.Exception(() => DatasetSelector.Parse(text, "Name", allowWildcards: false, allowVersion: true));
        Assert.Equal(valid, viaName == null);
        Assert.Equal(valid, viaSelector == null);
        if (!valid) Assert.IsType<StudioInputException>(viaSelector);
        if (valid)
        {
            var name = DatasetName.Parse(text);
            var selector = DatasetSelector.Parse(text, "Name", false, true);
            Assert.Equal((name.Namespace, name.Project, name.Name, name.Version), (selector.Namespace, selector.Project, selector.Name, selector.Version));
        }
    }
}
