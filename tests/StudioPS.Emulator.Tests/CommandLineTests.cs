using StudioPS.Emulator.Settings;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5000")]
    [InlineData("http://localhost:5000")]
    [InlineData("https://127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:1;http://127.0.0.1:2")]
    public void Urls_other_than_plain_loopback_are_refused(string urls) =>
        Assert.Throws<UsageException>(() => CommandLineOptions.Parse(["--urls", urls]));

    [Fact]
    public void Options_parse_in_both_spellings()
    {
        var o = CommandLineOptions.Parse(["--urls=http://127.0.0.1:5123", "--team", "t", "--speed", "2.5", "--max-lifetime-sec=0"]);
        Assert.Equal(5123, o.Port);
        Assert.Equal("t", o.Team);
        Assert.Equal(2.5, o.Speed);
        Assert.Equal(0, o.MaxLifetimeSec);
        Assert.Null(o.PartsMemoryMib);
        Assert.Equal(KeptParts.DefaultBudget, EmulatorConfig.From(o).PartsMemoryBytes);
        var parts = CommandLineOptions.Parse(["--parts-memory-mib=0"]);
        Assert.Equal(0, EmulatorConfig.From(parts).PartsMemoryBytes);
        Assert.Equal(3L << 20, EmulatorConfig.From(CommandLineOptions.Parse(["--parts-memory-mib", "3"])).PartsMemoryBytes);
        Assert.Throws<UsageException>(() => CommandLineOptions.Parse(["--parts-memory-mib", "-1"]));
        Assert.Throws<UsageException>(() => CommandLineOptions.Parse(["--speed", "0"]));
        Assert.Throws<UsageException>(() => CommandLineOptions.Parse(["--what"]));
    }

    [Fact]
    public void A_settings_file_defines_teams_tokens_clusters_and_datasets()
    {
        string path = Path.Combine(Path.GetTempPath(), "emulator-settings-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """
            {
              "teams": ["acme"],
              "tokens": [{"token": "isat_x", "teams": ["acme"], "scopes": {"PIPELINE": "write"}}],
              "clusters": [{"id": "9", "name": "solo", "max_workers": 2, "default": true}],
              "datasets": [{"name": "@a.b.c"}, {"name": "@a.b.d", "depends_on": ["@a.b.c"]}],
              "speed": 3
            }
            """);
        try
        {
            var cfg = EmulatorConfig.From(CommandLineOptions.Parse(["--settings", path, "--team", "acme"]));
            Assert.Equal(["acme"], cfg.Teams);
            Assert.Equal(3, cfg.Speed);
            Assert.Equal(9, Assert.Single(cfg.Clusters).Id);
            Assert.Equal(2, cfg.Datasets.Count);
            var extra = Assert.Single(cfg.ExtraTokens);
            Assert.Equal(Auth.Access.Write, extra.AccessTo("PIPELINE"));
            Assert.Equal(Auth.Access.None, extra.AccessTo("JOB"));
            Assert.StartsWith("isat_", cfg.ReadWriteToken);
            Assert.Equal(45, cfg.ReadWriteToken.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
