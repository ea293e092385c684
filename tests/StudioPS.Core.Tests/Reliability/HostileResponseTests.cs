using System.Net;
using System.Net.Http;
using System.Text;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Http;
using StudioPS.Models;
using Xunit;

namespace StudioPS.Core.Tests.Reliability;

/// <summary>
/// The document's example payloads, mutated every way a broken or hostile server could send them,
/// pushed through the module's response parsers: each case either parses or fails with the
/// module's own StudioApiException — never another exception type, never a hang or a crash.
/// </summary>
public class HostileResponseTests
{
    private const int Seed = 20261129;

    private const string Job = """{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","url":"https://studio.datachain.ai/team/team_name/datasets/jobs/0502eef6-a32e-45fa-8e3b-d20ecpabbcf0","status":"CREATED","created_at":"2021-01-01T00:00:00Z","created_by":"username","finished_at":"2021-01-01T00:00:00Z","query":"print('Hello, World!')","query_type":"PYTHON","team":"TeamName","name":"QueryName","workers":1,"python_version":"3.12","requirements":"numpy==1.24.0","repository":"https://github.com/user/repo","environment":{"ENV_NAME":"ENV_VALUE"},"exit_code":0,"error_message":"Error message"}""";
    private const string Cluster = """{"id":1,"name":"ComputeClusterName","status":"ACTIVE","cloud_provider":"AWS","cloud_credentials":"CredentialsName","is_active":true,"default":true,"max_workers":1}""";
    private const string Pipeline = """{"pipeline_id":"ec036e81-7903-4e4d-bbfa-ac8516341cf0","status":"RUNNING","job_runs":[{"job_id":"453bd7d7-5355-4d6d-a38e-d9e7eb218c3f","status":"string","parent_job_ids":["497f6eca-6276-4993-bfeb-53cbbbba6f08"],"name":"string","created_job_id":"31f5fe21-b847-420d-8689-ef5a1d3104a4"}],"completed":10,"total":16,"error_message":"Error message","error_stack":"Error stack","triggered_from":"@amritghimire.project.dataset","name":"rathe-kyat","created_at":"2021-01-01T00:00:00Z","updated_at":"2021-01-01T00:00:00Z"}""";
    private const string Upload = """{"id":1,"filename":"file.txt","size":100,"state":"pending","error":"Error message"}""";
    private const string Feedback = """{"message":"Successfully canceled"}""";

    /// <summary>The payloads the client reads, each with how it is read.</summary>
    private static readonly (string Name, string Body, Func<byte[], Task> Parse)[] Targets =
    {
        ("jobs list", "[" + Job + "," + Job + "]", body => List<StudioJob>(body, "jobs")),
        ("jobs wrapped", "{\"jobs\":[" + Job + "]}", body => List<StudioJob>(body, "jobs")),
        ("job", Job, body => Object<StudioJob>(body)),
        ("clusters", "[" + Cluster + "]", body => List<StudioCluster>(body, "clusters")),
        ("pipeline", Pipeline, body => Object<StudioPipeline>(body)),
        ("pipeline output", "{\"ok\":true,\"pipeline\":" + Pipeline + "}", body => Object<PipelineOutput>(body)),
        ("pipelines", "[" + Pipeline + "]", body => List<StudioPipeline>(body, "pipelines")),
        ("upload", Upload, body => Object<StudioFile>(body)),
        ("feedback", Feedback, body => Object<ActionFeedback>(body)),
        ("logs", "{\"logs\":[{\"id\":1,\"message\":\"a\"},{\"id\":2,\"message\":\"b\"}]}", body => { LogText.Parse(Encoding.UTF8.GetString(body), "application/json"); return Task.CompletedTask; }),
    };

    private static async Task List<T>(byte[] body, string wrapper) where T : class
    {
        using var stream = new MemoryStream(body);
        await foreach (var _ in JsonBodies.ReadListAsync<T>(stream, wrapper, "GET", "/api/x", default)) { }
    }

    private static Task Object<T>(byte[] body) where T : class
    {
        JsonBodies.ReadObject<T>(body, "GET", "/api/x");
        return Task.CompletedTask;
    }

    /// <summary>One mutation of a JSON text, chosen by the random source.</summary>
    private static string Mutate(string json, Random random)
    {
        if (json.Length == 0) return "{";
        switch (random.Next(14))
        {
            case 0: return json.Substring(0, random.Next(json.Length)); // truncated
            case 1: return ReplaceValue(json, random, "null");
            case 2: return ReplaceValue(json, random, "\"" + new string('x', random.Next(1, 200_000)) + "\"");
            case 3: return ReplaceValue(json, random, new string('[', 10_000) + new string(']', 10_000));
            case 4: return ReplaceValue(json, random, random.Next(2) == 0 ? "true" : "12345678901234567890123");
            case 5: return ReplaceValue(json, random, "{\"nested\":" + new string('{', 100) + "\"a\":1" + new string('}', 100) + "}");
            case 6: return json.Replace("\"RUNNING\"", "\"" + RandomWord(random) + "\"").Replace("\"CREATED\"", "\"" + RandomWord(random) + "\"");
            case 7: return "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
            case 8: return string.Empty;
            case 9: // a byte flipped
                var chars = json.ToCharArray();
                var at = random.Next(chars.Length);
                chars[at] = (char)random.Next(0, 128);
                return new string(chars);
            case 10: return ReplaceValue(json, random, "[1,2,{\"x\":null}]");
            case 11: return ReplaceValue(json, random, "\"\\ud800\""); // a lone surrogate
            case 12: return ReplaceValue(json, random, "-1e400");
            default: return Mutate(Mutate(json, random), random); // two mutations at once
        }
    }

    private static string RandomWord(Random random) =>
        new string(Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next('A', 'Z' + 1)).ToArray());

    /// <summary>Replaces the value after a random ':' (a field's value) with another text.</summary>
    private static string ReplaceValue(string json, Random random, string replacement)
    {
        var colons = Enumerable.Range(0, json.Length).Where(i => json[i] == ':').ToList();
        if (colons.Count == 0) return replacement;
        var start = colons[random.Next(colons.Count)] + 1;
        var end = start;
        var depth = 0;
        var inString = false;
        for (; end < json.Length; end++)
        {
            var c = json[end];
            if (inString) { if (c == '\\') end++; else if (c == '"') inString = false; continue; }
            if (c == '"') inString = true;
            else if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') { if (depth == 0) break; depth--; }
            else if (c == ',' && depth == 0) break;
        }
        return json.Substring(0, start) + replacement + json.Substring(end);
    }

    public const int CasesPerTarget = 1_100;

    [Fact]
    public async Task Ten_thousand_mutated_payloads_parse_or_fail_only_as_StudioApiException()
    {
        var random = new Random(Seed);
        var cases = 0;
        var failures = new List<string>();
        foreach (var (name, body, parse) in Targets)
        {
            for (var i = 0; i < CasesPerTarget; i++)
            {
                var mutated = i == 0 ? body : Mutate(body, random);
                cases++;
                try
                {
                    await parse(Encoding.UTF8.GetBytes(mutated)).WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (StudioApiException)
                {
                    // The module's own exception: it becomes an ErrorRecord.
                }
                catch (Exception e)
                {
                    if (failures.Count < 10) failures.Add($"{name} #{i}: {e.GetType().Name}: {e.Message} <- {Clip(mutated)}");
                }
            }
        }
        ReliabilityFigures.Record("hostile-responses-parsers", cases, failures.Count);
        Assert.True(cases >= 10_000, $"only {cases} cases");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static readonly (HttpStatusCode Status, string Body, string MediaType)[] Answers =
    {
        (HttpStatusCode.OK, "", "application/json"),
        (HttpStatusCode.OK, "<html><title>Sign in</title></html>", "text/html"),
        (HttpStatusCode.OK, "[" + Cluster + "]", "text/plain"),
        (HttpStatusCode.OK, "{\"clusters\":\"not a list\"}", "application/json"),
        (HttpStatusCode.BadGateway, "<html><title>502 Bad Gateway</title></html>", "text/html"),
        (HttpStatusCode.InternalServerError, "", "application/json"),
        (HttpStatusCode.BadRequest, "{\"message\":" + new string('[', 5000) + "}", "application/json"),
        (HttpStatusCode.Unauthorized, "\u0000\u0001binary", "application/octet-stream"),
        (HttpStatusCode.NotFound, "{\"detail\":null}", "application/json"),
        ((HttpStatusCode)299, "[]", "application/json"),
        ((HttpStatusCode)418, "I'm a teapot", "text/plain"),
        (HttpStatusCode.OK, "[" + Cluster.Substring(0, 40), "application/json"),
    };

    [Fact]
    public async Task Whole_responses_with_wrong_statuses_types_and_bodies_surface_only_as_StudioApiException()
    {
        var cases = 0;
        var failures = new List<string>();
        foreach (var (status, body, media) in Answers)
        {
            foreach (var call in Calls())
            {
                cases++;
                var fake = new FakeHandler().Respond(status, body, media);
                var client = new StudioClient(StudioHttp.Create(new StudioHttpOptions { PrimaryHandler = fake, MaxRetries = 0 }, out _),
                    new Uri("https://s.example/api/"), Redactor.None);
                try
                {
                    await call(client).WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (StudioApiException)
                {
                }
                catch (Exception e)
                {
                    failures.Add($"{(int)status} {media}: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        ReliabilityFigures.Record("hostile-responses-http", cases, failures.Count);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static IEnumerable<Func<StudioClient, Task>> Calls()
    {
        yield return c => c.GetClustersAsync("t", NullTrace.Instance, default).ToListAsync().AsTask();
        yield return c => c.ListJobsAsync("t", null, null, 5, false, NullTrace.Instance, default).ToListAsync().AsTask();
        yield return c => c.GetJobAsync("t", "id", false, NullTrace.Instance, default);
        yield return c => c.CancelJobAsync("t", "id", NullTrace.Instance, default);
        yield return c => c.GetJobLogsAsync("t", "id", NullTrace.Instance, default);
        yield return c => c.GetPipelineAsync("t", "p", null, NullTrace.Instance, default);
        yield return c => c.PausePipelineAsync(new PipelineInput { TeamName = "t", Name = "p" }, NullTrace.Instance, default);
        yield return c => c.ListPipelinesAsync("t", null, null, null, NullTrace.Instance, default).ToListAsync().AsTask();
        yield return c => c.CreateJobAsync(new JobInput { Query = "x", TeamName = "t" }, NullTrace.Instance, default);
    }

    private static string Clip(string text) => text.Length <= 120 ? text : text.Substring(0, 120) + "...";
}

/// <summary>Writes a test's figure where the reliability suite reads it (STUDIOPS_RELIABILITY_FIGURES), when set.</summary>
internal static class ReliabilityFigures
{
    private static readonly object Gate = new();

    public static void Record(string name, int cases, int failures)
    {
        var path = Environment.GetEnvironmentVariable("STUDIOPS_RELIABILITY_FIGURES");
        if (string.IsNullOrEmpty(path)) return;
        lock (Gate) File.AppendAllText(path, $"{name}\t{cases}\t{failures}\n");
    }
}
