using System.Diagnostics;
using System.Runtime.InteropServices;
using StudioPS.Input;
using StudioPS.Session;
using StudioPS.Core.Tests.Support;
using Xunit;

namespace StudioPS.Core.Tests.Security;

public class ConfigFileSafetyTests : IDisposable
{
    private readonly ConfigFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Theory]
    [InlineData("[studio]\nteam = \"\\uD800\"\n", 2, "scalar")]
    [InlineData("[studio]\n\nteam = \"\\U00110000\"\n", 3, "scalar")]
    [InlineData("[studio]\nteam = \"unterminated\n", 2, "not closed")]
    [InlineData("[studio]\nteam = \"a\\qb\"\n", 2, "escape")]
    [InlineData("[studio]\nteam = \"\"\"never closed\n", 2, "not closed")]
    [InlineData("[studio]\ngarbage line\n", 2, "=")]
    [InlineData("[studio\nteam = \"t\"\n", 1, "']'")]
    [InlineData("[studio]\nteam = \"t\" trailing\n", 2, "after the value")]
    public void A_broken_config_is_a_clear_error_naming_the_file_and_line(string text, int line, string why)
    {
        var file = _folders.Temp.Write("global/config", text);
        var error = Assert.Throws<StudioInputException>(() => _folders.Resolve());
        Assert.Equal("InvalidConfigFile", error.ErrorId);
        Assert.Contains(file, error.Message);
        Assert.Contains($"line {line} ", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void A_config_larger_than_1_MiB_is_refused()
    {
        var file = _folders.Temp.Write("project/.datachain/config", "[studio]\nteam = \"t\"\n" + new string('#', ConfigFileText.MaxBytes));
        var error = Assert.Throws<StudioInputException>(() => _folders.Resolve());
        Assert.Contains(file, error.Message);
        Assert.Contains("larger than 1024 KiB", error.Message);
    }

    [Fact]
    public void A_config_that_is_not_UTF8_names_the_line()
    {
        var file = Path.Combine(_folders.Temp.Path, "global", "config");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, new byte[] { (byte)'[', (byte)'s', (byte)']', (byte)'\n', (byte)'a', (byte)'=', 0xFF, (byte)'\n' });
        var error = Assert.Throws<StudioInputException>(() => _folders.Resolve());
        Assert.Contains("line 2 is not UTF-8", error.Message);
    }

    [Fact]
    public void A_folder_where_the_config_file_should_be_is_a_clear_error()
    {
        Directory.CreateDirectory(Path.Combine(_folders.Temp.Path, "project", ".datachain", "config"));
        var error = Assert.Throws<StudioInputException>(() => _folders.Resolve());
        Assert.Contains("is a folder", error.Message);
    }

    [Fact]
    public async Task A_FIFO_at_the_project_config_is_refused_at_once_instead_of_blocking()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
        var dir = Path.Combine(_folders.Temp.Path, "project", ".datachain");
        Directory.CreateDirectory(dir);
        var fifo = Path.Combine(dir, "config");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", new[] { fifo }) { UseShellExecute = false })!)
            mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo));
        // On its own thread, so a regression blocks that thread, not the test run.
        var resolving = Task.Run(() => Assert.Throws<StudioInputException>(() => _folders.Resolve()));
        Assert.Same(resolving, await Task.WhenAny(resolving, Task.Delay(TimeSpan.FromSeconds(60))));
        Assert.Contains("not a regular file", (await resolving).Message);
    }

    [Fact]
    public void TOML_strings_are_read_by_the_spec()
    {
        var values = TomlConfigReader.Parse(string.Join("\n",
            "[studio]",
            "a = \"\"\"",
            "say \\\"hi\\\" and \"quote\" and \"\"two\"\"\"\"",
            "b = \"\"\"one \\",
            "     two\"\"\"",
            "c = '''it's \"raw\" \\n'''",
            "d = \"tab\\there \\u00e9 \\U0001F600\"",
            "e = 'lit \\ eral'",
            "f = \"\"\"\"quoted\"\"\"\"",
            "\"quoted key\".x = 1  # comment",
            "arr = [ \"x]\", 'y',",
            "  \"z\" ] # spans lines",
            "g = \"after\"",
            ""));
        Assert.Equal("say \"hi\" and \"quote\" and \"\"two\"", values["studio.a"]);
        Assert.Equal("one two", values["studio.b"]);
        Assert.Equal("it's \"raw\" \\n", values["studio.c"]);
        Assert.Equal("tab\there é 😀", values["studio.d"]);
        Assert.Equal("lit \\ eral", values["studio.e"]);
        Assert.Equal("\"quoted\"", values["studio.f"]);
        Assert.Equal("1", values["studio.quoted key.x"]);
        Assert.Equal("after", values["studio.g"]);
        Assert.False(values.ContainsKey("studio.arr"));
    }

    // ---- a project's studio.url ----

    [Fact]
    public void A_project_url_with_a_token_from_the_environment_is_refused_naming_both_sources_and_the_fix()
    {
        var project = _folders.Temp.Write("project/.datachain/config", "[studio]\nurl = \"https://evil.example\"\n");
        _folders.Variables["DATACHAIN_STUDIO_TOKEN"] = "isat_fromenvironment000000";
        var error = Assert.Throws<StudioInputException>(() => _folders.Resolve());
        Assert.Equal("ProjectUrlWithOtherToken", error.ErrorId);
        Assert.Contains(project, error.Message);
        Assert.Contains("DATACHAIN_STUDIO_TOKEN", error.Message);
        Assert.Contains("-BaseUri", error.Message);
        Assert.Contains("DATACHAIN_STUDIO_URL", error.Message);
        Assert.DoesNotContain("isat_fromenvironment", error.Message);
    }

    [Fact]
    public void A_project_url_with_a_token_from_the_global_config_or_the_parameter_is_refused()
    {
        _folders.Temp.Write("project/.datachain/config", "[studio]\nurl = \"https://evil.example\"\n");
        var global = _folders.Temp.Write("global/config", "[studio]\ntoken = \"isat_global\"\n");
        var error = Assert.Throws<StudioInputException>(() => _folders.Resolve());
        Assert.Contains(global, error.Message);
        error = Assert.Throws<StudioInputException>(() => _folders.Resolve(new StudioConnectionOptions { Token = "isat_param" }));
        Assert.Contains("-Token parameter", error.Message);
    }

    [Fact]
    public void A_project_url_with_a_token_from_that_same_file_is_used()
    {
        var project = _folders.Temp.Write("project/.datachain/config", "[studio]\nurl = \"https://studio.corp.example\"\ntoken = \"isat_project\"\n");
        _folders.Temp.Write("global/config", "[studio]\ntoken = \"isat_global\"\n");
        var settings = _folders.Resolve();
        Assert.Equal(new Uri("https://studio.corp.example"), settings.BaseUri);
        Assert.Equal("isat_project", settings.Token);
        Assert.Equal(project, settings.TokenSourcePath);
    }

    [Fact]
    public void A_url_from_the_global_config_or_an_explicit_one_is_not_restricted()
    {
        _folders.Temp.Write("project/.datachain/config", "[studio]\nurl = \"https://evil.example\"\n");
        _folders.Variables["DATACHAIN_STUDIO_TOKEN"] = "isat_fromenvironment000000";
        Assert.Equal(new Uri("https://mine.example"), _folders.Resolve(new StudioConnectionOptions { BaseUri = "https://mine.example" }).BaseUri);
        _folders.Variables["DATACHAIN_STUDIO_URL"] = "https://env.example";
        Assert.Equal(new Uri("https://env.example"), _folders.Resolve().BaseUri);
        _folders.Variables.Remove("DATACHAIN_STUDIO_URL");
        File.Delete(Path.Combine(_folders.Temp.Path, "project", ".datachain", "config"));
        _folders.Temp.Write("global/config", "[studio]\nurl = \"https://global.example\"\n");
        Assert.Equal(new Uri("https://global.example"), _folders.Resolve().BaseUri);
    }

    // ---- tokens and ids ----

    [Fact]
    public void The_token_parameter_is_trimmed()
    {
        Assert.Equal("isat_abc", _folders.Resolve(new StudioConnectionOptions { Token = "  isat_abc \r\n" }).Token);
    }

    [Theory]
    [InlineData("isat_a b")]
    [InlineData("isat_a\u0000b")]
    [InlineData("isat_ab\u00e9")]
    public void A_token_with_inner_spaces_or_control_characters_is_refused_before_anything_is_sent(string token)
    {
        var error = Assert.Throws<StudioInputException>(() => _folders.Resolve(new StudioConnectionOptions { Token = token }));
        Assert.Equal("InvalidToken", error.ErrorId);
        Assert.DoesNotContain(token, error.Message);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(" .. ")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("a%2Fb")]
    [InlineData("a b")]
    [InlineData("a\tb")]
    [InlineData("a\u001bb")]
    [InlineData("")]
    public void An_id_that_could_change_the_request_is_refused(string id)
    {
        var error = Assert.Throws<StudioInputException>(() => InputChecks.Id(id, "Id", "job"));
        Assert.Equal("Id", error.ParamName);
        Assert.DoesNotContain('\u001b', error.Message);
    }

    [Theory]
    [InlineData("3f2a1c9e-0000-4000-8000-000000000001")]
    [InlineData("job.1")]
    [InlineData("...x")]
    public void Ordinary_ids_pass(string id) => Assert.Equal(id, InputChecks.Id(id, "Id", "job"));

    [Fact]
    public void An_env_file_error_names_the_file_and_line_but_never_repeats_the_text()
    {
        var error = Assert.Throws<StudioInputException>(() =>
            EnvironmentText.Parse("A=1\n# c\nAWS_SECRET_ACCESS_KEY wJalrXUtnFEMI/K7MDENG\n", "/tmp/job.env"));
        Assert.Contains("/tmp/job.env", error.Message);
        Assert.Contains("line 3", error.Message);
        Assert.DoesNotContain("wJalrXUtnFEMI", error.Message);
        Assert.DoesNotContain("AWS_SECRET", error.Message);
        error = Assert.Throws<StudioInputException>(() => EnvironmentText.Parse("MY SECRET=x\n", "/tmp/job.env"));
        Assert.Contains("line 1", error.Message);
        Assert.DoesNotContain("SECRET", error.Message);
    }
}
