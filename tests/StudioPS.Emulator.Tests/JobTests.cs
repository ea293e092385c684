using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace StudioPS.Emulator.Tests;

public sealed class JobTests(EmulatorServer server) : IClassFixture<EmulatorServer>, IAsyncLifetime
{
    public Task InitializeAsync() => server.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_job_walks_the_lifecycle_and_its_logs_follow_the_query_convention()
    {
        var job = await server.CreateJobAsync("print('hello')\ntime.sleep(0.2)\nprint(\"bye\")",
            new { environment = "A=1\nB=two=2", query_name = "hello.py" });
        Assert.Equal("CREATED", job.GetProperty("status").GetString());
        Assert.Equal("two=2", job.GetProperty("environment").GetProperty("B").GetString());
        string id = job.GetProperty("id").GetString()!;

        var done = await server.WaitForJobAsync(id, EmulatorServer.Terminal);
        Assert.Equal("COMPLETE", done.GetProperty("status").GetString());
        Assert.Equal(0, done.GetProperty("exit_code").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, done.GetProperty("finished_at").ValueKind);
        Assert.EndsWith("Z", done.GetProperty("finished_at").GetString());

        string text = await server.Client.GetStringAsync($"api/datachain/jobs/{id}/logs");
        Assert.Equal("hello\nbye\n", text);
    }

    [Theory]
    [InlineData("sys.exit(3)", 3, "Process exited with code 3")]
    [InlineData("echo hi\nexit 4", 4, "Process exited with code 4")]
    [InlineData("raise ValueError(\"bad column\")", 1, "bad column")]
    public async Task Failing_queries_end_FAILED_with_exit_code_and_message(string query, int code, string message)
    {
        var job = await server.CreateJobAsync(query);
        var done = await server.WaitForJobAsync(job.GetProperty("id").GetString()!, EmulatorServer.Terminal);
        Assert.Equal("FAILED", done.GetProperty("status").GetString());
        Assert.Equal(code, done.GetProperty("exit_code").GetInt32());
        Assert.Equal(message, done.GetProperty("error_message").GetString());
    }

    [Fact]
    public async Task Cron_jobs_are_TASK_templates_and_future_jobs_are_SCHEDULED()
    {
        var task = await server.CreateJobAsync("print(1)", new { cron_expression = "@daily" });
        Assert.Equal("TASK", task.GetProperty("status").GetString());
        var later = await server.CreateJobAsync("print(1)", new { start_after = DateTime.UtcNow.AddHours(1).ToString("o") });
        Assert.Equal("SCHEDULED", later.GetProperty("status").GetString());
        await Task.Delay(100);
        Assert.Equal("SCHEDULED", (await server.GetJobAsync(later.GetProperty("id").GetString()!)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_goes_through_CANCELING_to_CANCELED_and_a_finished_job_cannot_be_canceled()
    {
        var job = await server.CreateJobAsync("time.sleep(100)");
        string id = job.GetProperty("id").GetString()!;
        // A tenth of normal speed, so CANCELING lasts 2 s: long enough to be read back on a loaded machine.
        await server.Control.PostAsync("_emulator/options", EmulatorServer.JsonBody(new { speed = 0.1 }));
        var r = await server.Client.PostAsync($"api/datachain/jobs/{id}/cancel", EmulatorServer.JsonBody(new { team_name = EmulatorServer.Team }));
        Assert.Equal("Successfully canceled", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
        Assert.Equal("CANCELING", (await server.GetJobAsync(id)).GetProperty("status").GetString());
        var done = await server.WaitForJobAsync(id, EmulatorServer.Terminal);
        Assert.Equal("CANCELED", done.GetProperty("status").GetString());

        var again = await server.Client.PostAsync($"api/datachain/jobs/{id}/cancel", EmulatorServer.JsonBody(new { team_name = EmulatorServer.Team }));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var unknown = await server.Client.PostAsync($"api/datachain/jobs/{Guid.NewGuid()}/cancel", EmulatorServer.JsonBody(new { team_name = EmulatorServer.Team }));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Job not found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_list_is_newest_first_and_filters_by_status_case_insensitively()
    {
        await server.Control.PostAsync("_emulator/seed-jobs", EmulatorServer.JsonBody(new { count = 3000, status = "COMPLETE" }));
        await server.Control.PostAsync("_emulator/seed-jobs", EmulatorServer.JsonBody(new { count = 2, status = "FAILED" }));
        var all = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/jobs/?team_name={EmulatorServer.Team}");
        Assert.Equal(3002, all.GetArrayLength());
        Assert.Equal("FAILED", all[0].GetProperty("status").GetString());
        Assert.True(string.CompareOrdinal(all[0].GetProperty("created_at").GetString(), all[2].GetProperty("created_at").GetString()) > 0);

        var failed = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/jobs/?team_name={EmulatorServer.Team}&status=failed&limit=1");
        Assert.Equal(1, failed.GetArrayLength());
        var both = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/jobs/?team_name={EmulatorServer.Team}&status=FAILED&status=complete&limit=10");
        Assert.Equal(10, both.GetArrayLength());
    }

    [Fact]
    public async Task The_websocket_replays_history_streams_status_frames_and_closes_normally()
    {
        var job = await server.CreateJobAsync("# emulator: lines=30 interval_ms=20 prefix=row");
        string id = job.GetProperty("id").GetString()!;
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "token " + server.Config.ReadWriteToken);
        var uri = new Uri($"ws://{server.BaseUri.Authority}/api/logs/follow/?job_id={id}&team_name={EmulatorServer.Team}");
        await ws.ConnectAsync(uri, CancellationToken.None);

        var ids = new List<int>();
        var output = new System.Text.StringBuilder();
        var statuses = new List<string>();
        var buffer = new byte[1 << 20];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, timeout.Token);
            if (r.MessageType == WebSocketMessageType.Close) break;
            Assert.True(r.EndOfMessage);
            var frame = JsonDocument.Parse(buffer.AsMemory(0, r.Count)).RootElement;
            if (frame.TryGetProperty("logs", out var logs))
                foreach (var l in logs.EnumerateArray())
                {
                    ids.Add(l.GetProperty("id").GetInt32());
                    output.Append(l.GetProperty("message").GetString());
                }
            else if (frame.TryGetProperty("job", out var j))
                statuses.Add(j.GetProperty("status").GetString()!);
        }
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
        // Raw chunks with rising ids; together they are the output, every fourth line ending CRLF.
        Assert.Equal(Enumerable.Range(1, ids.Count), ids);
        Assert.Equal(string.Concat(Enumerable.Range(1, 30).Select(i => $"row {i}" + (i % 4 == 0 ? "\r\n" : "\n"))), output.ToString());
        Assert.Equal("COMPLETE", statuses[^1]);
        Assert.Contains("RUNNING", statuses);
        Assert.Equal(statuses.Count, statuses.Distinct().Count());
    }

    [Fact]
    public async Task The_websocket_refuses_unknown_jobs_with_4404_and_other_teams_before_upgrading()
    {
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + server.Config.ReadWriteToken);
        await ws.ConnectAsync(new Uri($"ws://{server.BaseUri.Authority}/api/logs/follow/?job_id=nope&team_name={EmulatorServer.Team}"), CancellationToken.None);
        var buffer = new byte[4096];
        var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Contains("Job ID is incorrect or not found", Encoding.UTF8.GetString(buffer, 0, r.Count));
        r = await ws.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Close, r.MessageType);
        Assert.Equal(4404, (int)ws.CloseStatus!.Value);

        using var refused = new ClientWebSocket();
        refused.Options.SetRequestHeader("Authorization", "Bearer " + server.Config.ReadWriteToken);
        refused.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() =>
            refused.ConnectAsync(new Uri($"ws://{server.BaseUri.Authority}/api/logs/follow/?job_id=x&team_name=other-team"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, refused.HttpStatusCode);
    }

    [Fact]
    public async Task An_upload_is_streamed_and_becomes_usable_in_files()
    {
        var payload = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(payload);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(payload);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "data.bin");
        var r = await server.Client.PostAsync($"api/datachain/jobs/files?team_name={EmulatorServer.Team}", form);
        var upload = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ready", upload.GetProperty("state").GetString());
        Assert.Equal(payload.Length, upload.GetProperty("size").GetInt64());
        int uploadId = upload.GetProperty("id").GetInt32();

        var job = await server.CreateJobAsync("print(1)", new { files = new[] { uploadId.ToString() } });
        Assert.Equal(uploadId.ToString(), job.GetProperty("files")[0].GetString());
    }

    [Fact]
    public async Task An_upload_cut_off_mid_body_is_never_ready()
    {
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", server.BaseUri.Port);
            var stream = tcp.GetStream();
            string head =
                $"POST /api/datachain/jobs/files?team_name={EmulatorServer.Team} HTTP/1.1\r\nHost: x\r\n" +
                $"Authorization: Bearer {server.Config.ReadWriteToken}\r\n" +
                "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 1000000\r\n\r\n" +
                "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(new byte[5000]);
            await stream.FlushAsync();
            await Task.Delay(200);
        }
        JsonElement files = default;
        for (int i = 0; i < 100; i++)
        {
            files = await server.Control.GetFromJsonAsync<JsonElement>("_emulator/files");
            if (files.GetArrayLength() == 1 && files[0].GetProperty("state").GetString() != "uploading") break;
            await Task.Delay(50);
        }
        Assert.Equal("failed", Assert.Single(files.EnumerateArray()).GetProperty("state").GetString());
    }
}
