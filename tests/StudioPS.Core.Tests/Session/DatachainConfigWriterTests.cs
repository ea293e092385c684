using StudioPS.Core.Tests.Support;
using StudioPS.Session;
using Tomlyn;
using Tomlyn.Model;
using Xunit;

namespace StudioPS.Core.Tests.Session;

public class DatachainConfigWriterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string?> Values(params (string Key, string? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>Tomlyn, a strict reader that shares nothing with the module, must accept the file and see these values.</summary>
    private static TomlTable Strict(string text) => TomlSerializer.Deserialize<TomlTable>(text)!;

    private static object? StrictStudio(string text, string key) =>
        ((TomlTable)Strict(text)["studio"]!).TryGetValue(key, out var value) ? value : null;

    [Fact]
    public void Creates_the_folder_and_a_file_both_readers_agree_on()
    {
        var path = Path.Combine(_temp.Path, "new", "deeper", "config");
        Assert.True(DatachainConfigWriter.Update(path, Values(("url", "https://studio.example.com"), ("token", "isat_abc\"q\\z"), ("team", "my-team"))));

        var text = File.ReadAllText(path);
        var ours = TomlConfigReader.Parse(text);
        Assert.Equal("https://studio.example.com", ours["studio.url"]);
        Assert.Equal("isat_abc\"q\\z", ours["studio.token"]);
        Assert.Equal("my-team", ours["studio.team"]);
        Assert.Equal("https://studio.example.com", StrictStudio(text, "url"));
        Assert.Equal("isat_abc\"q\\z", StrictStudio(text, "token"));
        Assert.Equal("my-team", StrictStudio(text, "team"));
        Assert.Equal("[studio]\nurl = \"https://studio.example.com\"\ntoken = \"isat_abc\\\"q\\\\z\"\nteam = \"my-team\"\n", text);
    }

    [Fact]
    public void Creates_the_file_owner_only_on_unix()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Path.Combine(_temp.Path, "config");
        DatachainConfigWriter.Update(path, Values(("token", "isat_secret")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Keeps_the_mode_an_existing_file_has()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = _temp.Write("config", "[core]\nx = 1\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        DatachainConfigWriter.Update(path, Values(("team", "t")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Keeps_every_other_section_key_comment_and_blank_line()
    {
        const string before = """
            # my datachain settings
            [core]
            # a comment in core
            remote = "s3://bucket"   # kept

            [studio]
            url = "https://studio.example.com"  # the address
            token = "isat_old"   # old token
            other = 42
            # after the keys

            [studio.extra]
            team = "not-the-default-team"

            [[plugins]]
            name = "p"
            """;
        var after = DatachainConfigWriter.Apply(before + "\n", Values(("token", "isat_new"), ("team", "t1")));

        var expected = before.Replace("token = \"isat_old\"   # old token", "token = \"isat_new\"   # old token")
            .Replace("other = 42\n", "other = 42\nteam = \"t1\"\n") + "\n";
        Assert.Equal(expected, after);
        Assert.Equal("isat_new", StrictStudio(after, "token"));
        Assert.Equal("t1", StrictStudio(after, "team"));
        Assert.Equal(42L, StrictStudio(after, "other"));
        Assert.Equal("not-the-default-team", ((TomlTable)((TomlTable)Strict(after)["studio"]!)["extra"]!)["team"]);
        Assert.Equal("t1", TomlConfigReader.Parse(after)["studio.team"]);
    }

    [Fact]
    public void Removes_token_and_team_and_nothing_else()
    {
        const string before = "[studio]\nurl = \"https://s\"\ntoken = \"isat_x\"\nteam = \"t\"\n\n[core]\na = 1\n";
        var after = DatachainConfigWriter.Apply(before, Values(("token", null), ("team", null)));
        Assert.Equal("[studio]\nurl = \"https://s\"\n\n[core]\na = 1\n", after);
        Assert.Null(StrictStudio(after, "token"));
        Assert.False(TomlConfigReader.Parse(after).ContainsKey("studio.token"));
    }

    [Fact]
    public void Appends_a_studio_table_after_the_existing_content()
    {
        const string before = "[core]\na = 1";
        var after = DatachainConfigWriter.Apply(before, Values(("url", "https://s"), ("token", "isat_x")));
        Assert.Equal("[core]\na = 1\n\n[studio]\nurl = \"https://s\"\ntoken = \"isat_x\"\n", after);
        Assert.Equal(1L, ((TomlTable)Strict(after)["core"]!)["a"]);
    }

    [Fact]
    public void Writes_dotted_keys_where_the_file_uses_them()
    {
        const string before = "studio.url = \"https://s\"\n\n[core]\na = 1\n";
        var after = DatachainConfigWriter.Apply(before, Values(("token", "isat_x")));
        Assert.Equal("studio.url = \"https://s\"\nstudio.token = \"isat_x\"\n\n[core]\na = 1\n", after);
        Assert.Equal("isat_x", StrictStudio(after, "token"));
    }

    [Fact]
    public void Keeps_windows_line_endings_and_replaces_a_multi_line_value()
    {
        const string before = "[studio]\r\ntoken = \"\"\"\r\nisat_old\"\"\" # c\r\nteam = 't'\r\n";
        var after = DatachainConfigWriter.Apply(before, Values(("token", "isat_new")));
        Assert.Equal("[studio]\r\ntoken = \"isat_new\" # c\r\nteam = 't'\r\n", after);
        Assert.Equal("isat_new", StrictStudio(after, "token"));
    }

    [Fact]
    public void Leaves_an_existing_file_untouched_when_nothing_changes()
    {
        var path = _temp.Write("config", "[studio]\nteam = \"t\"\n");
        Assert.False(DatachainConfigWriter.Update(path, Values(("team", "t"))));
        Assert.False(DatachainConfigWriter.Update(Path.Combine(_temp.Path, "absent", "config"), Values(("token", null))));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "absent")));
    }

    [Fact]
    public void Finds_the_file_of_each_level_as_the_official_client_does()
    {
        var env = new Dictionary<string, string?> { ["DATACHAIN_GLOBAL_CONFIG_DIR"] = "/g", ["DATACHAIN_ROOT_DIR"] = "/r" };
        Assert.Equal(Path.Combine("/g", "config"), DatachainConfigWriter.PathOf(ConfigScope.Global, k => env.GetValueOrDefault(k), "/cwd"));
        Assert.Equal(Path.Combine("/r", ".datachain", "config"), DatachainConfigWriter.PathOf(ConfigScope.Local, k => env.GetValueOrDefault(k), "/cwd"));
        env["DATACHAIN_DIR"] = "/d";
        Assert.Equal(Path.Combine("/d", "config"), DatachainConfigWriter.PathOf(ConfigScope.Local, k => env.GetValueOrDefault(k), "/cwd"));
    }
}
