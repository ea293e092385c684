using System.Collections;
using System.Collections.Specialized;
using System.Text.Json;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Core.Tests.Support;
using Xunit;
using StudioPS.Input;

namespace StudioPS.Core.Tests.Models;

public class JobRequestTests : IDisposable
{
    private readonly TempFolder _temp = new();
    public void Dispose() => _temp.Dispose();

    private static string Json(JobInput input) => System.Text.Encoding.UTF8.GetString(StudioClient.JsonContent(input).ReadAsByteArrayAsync().Result);

    [Fact]
    public void Every_JobInput_field_is_sent_with_the_documents_names()
    {
        var builder = new JobRequestBuilder
        {
            Query = "print('Hello, World!')",
            QueryType = "python",
            Name = "QueryName",
            Environment = new OrderedDictionary { ["ENV_NAME"] = "ENV_VALUE" },
            Workers = 1,
            PythonVersion = "3.12",
            Repository = "https://github.com/user/repo",
            Priority = 1,
            ClusterId = "1",
            StartAfter = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Cron = "0 0 * * *",
            CredentialsName = "CredentialsName",
        };
        builder.FileIds.Add("2");
        builder.FileIds.Add("3");
        builder.Requirements.Add("numpy==1.24.0");
        using var doc = JsonDocument.Parse(Json(builder.Build("TeamName")));
        var root = doc.RootElement;
        Assert.Equal("print('Hello, World!')", root.GetProperty("query").GetString());
        Assert.Equal("PYTHON", root.GetProperty("query_type").GetString());
        Assert.Equal("TeamName", root.GetProperty("team_name").GetString());
        Assert.Equal("ENV_NAME=ENV_VALUE", root.GetProperty("environment").GetString());
        Assert.Equal(1, root.GetProperty("workers").GetInt32());
        Assert.Equal("QueryName", root.GetProperty("query_name").GetString());
        Assert.Equal(new[] { "2", "3" }, root.GetProperty("files").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("3.12", root.GetProperty("python_version").GetString());
        Assert.Equal("numpy==1.24.0", root.GetProperty("requirements").GetString());
        Assert.Equal("https://github.com/user/repo", root.GetProperty("repository").GetString());
        Assert.Equal(1, root.GetProperty("priority").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("compute_cluster_name").ValueKind);
        Assert.Equal(1, root.GetProperty("compute_cluster_id").GetInt64());
        Assert.Equal("2021-01-01T00:00:00Z", root.GetProperty("start_after").GetString());
        Assert.Equal("0 0 * * *", root.GetProperty("cron_expression").GetString());
        Assert.Equal("CredentialsName", root.GetProperty("credentials_name").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("rerun_from_job_id").ValueKind);
        Assert.False(root.GetProperty("reset").GetBoolean());
        Assert.Equal(18, root.EnumerateObject().Count());
    }

    [Fact]
    public void A_rerun_sends_the_job_it_continues_from_and_ignore_checkpoints_sends_reset_true()
    {
        using var doc = JsonDocument.Parse(Json(new JobRequestBuilder { Query = "x", RerunFrom = " j-41 ", IgnoreCheckpoints = true }.Build("t")));
        Assert.Equal("j-41", doc.RootElement.GetProperty("rerun_from_job_id").GetString());
        Assert.True(doc.RootElement.GetProperty("reset").GetBoolean());
    }

    [Fact]
    public void A_rerun_id_with_spaces_inside_is_refused_naming_the_parameter()
    {
        var error = Assert.Throws<StudioInputException>(() => new JobRequestBuilder { Query = "x", RerunFrom = "a b" }.Build("t"));
        Assert.Equal("RerunFrom", error.ParamName);
        Assert.Equal("InvalidRerunFrom", error.ErrorId);
    }

    [Fact]
    public void Cron_without_a_start_time_starts_now_in_UTC_like_the_official_client()
    {
        var now = new DateTimeOffset(2026, 11, 30, 15, 4, 5, TimeSpan.FromHours(2));
        using var doc = JsonDocument.Parse(Json(new JobRequestBuilder { Query = "x", Cron = "@daily", Now = () => now }.Build("t")));
        Assert.Equal("2026-11-30T13:04:05Z", doc.RootElement.GetProperty("start_after").GetString());
        using var plain = JsonDocument.Parse(Json(new JobRequestBuilder { Query = "x", Now = () => now }.Build("t")));
        Assert.Equal(JsonValueKind.Null, plain.RootElement.GetProperty("start_after").ValueKind);
    }

    [Fact]
    public void The_cluster_id_is_sent_only_when_given()
    {
        using var doc = JsonDocument.Parse(Json(new JobRequestBuilder { Query = "x", ClusterName = "big" }.Build("t")));
        Assert.Equal("big", doc.RootElement.GetProperty("compute_cluster_name").GetString());
        Assert.False(doc.RootElement.TryGetProperty("compute_cluster_id", out _));
    }

    [Fact]
    public void Unset_fields_are_sent_as_null_like_the_official_client()
    {
        var json = Json(new JobRequestBuilder { Query = "x" }.Build("t"));
        Assert.Contains("\"workers\":null", json);
        Assert.Contains("\"environment\":null", json);
        Assert.Contains("\"files\":null", json);
    }

    [Fact]
    public void A_cluster_id_that_is_not_a_number_is_sent_as_text() =>
        Assert.Contains("\"compute_cluster_id\":\"c-abc\"", Json(new JobRequestBuilder { Query = "x", ClusterId = "c-abc" }.Build("t")));

    [Fact]
    public void Environment_file_and_hashtable_merge_keeping_every_key_and_the_hashtable_wins()
    {
        var file = _temp.Write("job.env", "# settings\nexport A=from-file\nB=\"quoted value\"\nC=with=equals\n\nD=\n");
        var builder = new JobRequestBuilder
        {
            Query = "x",
            EnvironmentFile = file,
            Environment = new OrderedDictionary { ["A"] = "from-hashtable", ["E"] = 5 },
        };
        Assert.Equal("A=from-hashtable\nB=quoted value\nC=with=equals\nD=\nE=5", builder.Build("t").Environment);
    }

    [Theory]
    [InlineData("A=B", "InvalidEnvironmentKey")]
    [InlineData("A\nB", "InvalidEnvironmentKey")]
    [InlineData("", "InvalidEnvironmentKey")]
    [InlineData("HAS SPACE", "InvalidEnvironmentKey")]
    public void An_environment_key_that_would_break_the_lines_is_refused(string key, string errorId)
    {
        var builder = new JobRequestBuilder { Query = "x", Environment = new Hashtable { [key] = "v" } };
        var error = Assert.Throws<StudioInputException>(() => builder.Build("t"));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal("Environment", error.ParamName);
    }

    [Fact]
    public void An_environment_value_with_a_line_break_is_refused()
    {
        var builder = new JobRequestBuilder { Query = "x", Environment = new Hashtable { ["K"] = "a\nb" } };
        Assert.Equal("InvalidEnvironmentValue", Assert.Throws<StudioInputException>(() => builder.Build("t")).ErrorId);
    }

    [Fact]
    public void A_malformed_environment_file_line_is_refused_with_its_number()
    {
        var file = _temp.Write("bad.env", "A=1\nnot a pair\n");
        var error = Assert.Throws<StudioInputException>(() => new JobRequestBuilder { Query = "x", EnvironmentFile = file }.Build("t"));
        Assert.Equal("InvalidEnvironmentFile", error.ErrorId);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void A_py_script_file_runs_as_PYTHON_named_after_the_file_and_other_files_as_SHELL()
    {
        var py = _temp.Write("train.py", "print(1)\n");
        var sh = _temp.Write("run.sh", "echo 1\n");
        var fromPy = new JobRequestBuilder { ScriptPath = py }.Build("t");
        Assert.Equal(("PYTHON", "train.py", "print(1)\n"), (fromPy.QueryType, fromPy.QueryName, fromPy.Query));
        Assert.Equal("SHELL", new JobRequestBuilder { ScriptPath = sh }.Build("t").QueryType);
        Assert.Equal("PYTHON", new JobRequestBuilder { ScriptPath = sh, QueryType = "PYTHON" }.Build("t").QueryType);
        Assert.Equal("custom", new JobRequestBuilder { ScriptPath = py, Name = "custom" }.Build("t").QueryName);
    }

    [Fact]
    public void Requirements_from_a_file_and_parameters_become_one_string_of_lines()
    {
        var file = _temp.Write("requirements.txt", "pandas==2.0\r\n\r\nnumpy\n");
        var builder = new JobRequestBuilder { Query = "x", RequirementsFile = file };
        builder.Requirements.Add("torch");
        Assert.Equal("pandas==2.0\nnumpy\ntorch", builder.Build("t").Requirements);
    }

    public static IEnumerable<object[]> BadInputs() => new[]
    {
        new object[] { new JobRequestBuilder { Query = "" }, "EmptyQuery", "Query" },
        new object[] { new JobRequestBuilder { Query = "   " }, "EmptyQuery", "Query" },
        new object[] { new JobRequestBuilder { Query = "x", ClusterName = "a", ClusterId = "1" }, "ClusterNameAndId", "ClusterName" },
        new object[] { new JobRequestBuilder { Query = "x", Priority = 6 }, "InvalidPriority", "Priority" },
        new object[] { new JobRequestBuilder { Query = "x", Priority = -1 }, "InvalidPriority", "Priority" },
        new object[] { new JobRequestBuilder { Query = "x", Workers = 0 }, "InvalidWorkers", "Workers" },
        new object[] { new JobRequestBuilder { Query = "x", Cron = "* * *" }, "InvalidCron", "Cron" },
        new object[] { new JobRequestBuilder { Query = "x", Cron = "61 * * * *" }, "InvalidCron", "Cron" },
        new object[] { new JobRequestBuilder { Query = "x", Cron = "@sometimes" }, "InvalidCron", "Cron" },
        new object[] { new JobRequestBuilder { Query = "x", PythonVersion = "three" }, "InvalidPythonVersion", "PythonVersion" },
        new object[] { new JobRequestBuilder { Query = "x", QueryType = "RUBY" }, "InvalidQueryType", "QueryType" },
        new object[] { new JobRequestBuilder { Query = "x", Repository = "not a url" }, "InvalidRepository", "Repository" },
        new object[] { new JobRequestBuilder { Query = "x", ClusterId = "1 2" }, "InvalidClusterId", "ClusterId" },
        new object[] { new JobRequestBuilder { ScriptPath = "/no/such/file.py" }, "FileNotFound", "Path" },
        new object[] { new JobRequestBuilder { Query = "x", EnvironmentFile = "/no/such.env" }, "FileNotFound", "EnvironmentFile" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_refused_naming_the_parameter(object builder, string errorId, string parameter)
    {
        // object: the builder is internal to Core, and a public test method cannot name it.
        var error = Assert.Throws<StudioInputException>(() => ((JobRequestBuilder)builder).Build("t"));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains("-" + parameter, error.Message);
    }

    [Fact]
    public void A_folder_given_as_the_script_is_refused() =>
        Assert.Equal("PathIsDirectory", Assert.Throws<StudioInputException>(() => new JobRequestBuilder { ScriptPath = _temp.Path }.Build("t")).ErrorId);

    [Fact]
    public void A_later_start_or_a_cron_makes_the_job_scheduled()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(new JobRequestBuilder { StartAfter = now.AddHours(1) }.IsScheduled(now));
        Assert.False(new JobRequestBuilder { StartAfter = now.AddHours(-1) }.IsScheduled(now));
        Assert.True(new JobRequestBuilder { Cron = "@daily" }.IsScheduled(now));
        Assert.False(new JobRequestBuilder().IsScheduled(now));
    }
}

public class CronExpressionTests
{
    [Theory]
    [InlineData("0 0 * * *")]
    [InlineData("*/15 9-17 * * MON-FRI")]
    [InlineData("0,30 3 1,15 JAN,jul 0")]
    [InlineData("5 4 * * 7")]
    [InlineData("0 12 ? * *")]
    [InlineData("@daily")]
    [InlineData("@HOURLY")]
    [InlineData("  0 0 * * *  ")]
    public void Valid_expressions_pass(string cron) => Assert.Null(CronExpression.Check(cron));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("* * * *", "4 fields")]
    [InlineData("* * * * * *", "6 fields")]
    [InlineData("60 * * * *", "minute field")]
    [InlineData("* 24 * * *", "hour field")]
    [InlineData("* * 0 * *", "day of month field")]
    [InlineData("* * * 13 *", "month field")]
    [InlineData("* * * * 8", "day of week field")]
    [InlineData("*/0 * * * *", "step")]
    [InlineData("5-1 * * * *", "backwards")]
    [InlineData("1,,2 * * * *", "empty list item")]
    [InlineData("@fortnightly", "@yearly")]
    public void Invalid_expressions_say_why(string cron, string reason) =>
        Assert.Contains(reason, CronExpression.Check(cron));
}
