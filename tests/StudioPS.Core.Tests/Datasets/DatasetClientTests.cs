using System.Net;
using System.Text.Json;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Http;
using Xunit;

namespace StudioPS.Core.Tests.Datasets;

/// <summary>The dataset requests as the official client sends them (official-client-notes.md, "Datasets").</summary>
public class DatasetClientTests
{
    private static StudioClient Client(FakeHandler fake) =>
        new(StudioHttp.Create(new StudioHttpOptions { PrimaryHandler = fake, MaxRetries = 0 }, out _), new Uri("https://s/api/"), Redactor.None);

    private static Dictionary<string, JsonElement> Body(string? json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json!)!;

    [Fact]
    public async Task An_edit_posts_every_key_with_null_for_what_is_unset()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, "{}");
        await Client(fake).EditDatasetAsync("t1", "@a", "p", "raw", null, "Raw rows", null, NullTrace.Instance, default);

        Assert.Equal((HttpMethod.Post, "/api/datachain/datasets"), (fake.Requests[0].Method, fake.Requests[0].RequestUri!.AbsolutePath));
        var body = Body(fake.Bodies[0]);
        Assert.Equal(new[] { "attrs", "description", "name", "namespace", "new_name", "project", "team_name" }, body.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Null, body["new_name"].ValueKind);
        Assert.Equal(JsonValueKind.Null, body["attrs"].ValueKind);
        Assert.Equal(("raw", "@a", "p", "Raw rows", "t1"),
            (body["name"].GetString(), body["namespace"].GetString(), body["project"].GetString(), body["description"].GetString(), body["team_name"].GetString()));

        fake.Respond(HttpStatusCode.OK, "{}");
        await Client(fake).EditDatasetAsync("t1", "@a", "p", "raw", "tags", null, new[] { "gold", "v2" }, NullTrace.Instance, default);
        body = Body(fake.Bodies[1]);
        Assert.Equal("tags", body["new_name"].GetString());
        Assert.Equal(new[] { "gold", "v2" }, body["attrs"].EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(JsonValueKind.Null, body["description"].ValueKind);
    }

    [Fact]
    public async Task A_removal_is_a_DELETE_with_a_JSON_body_version_null_for_the_whole_dataset()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, "{}").Respond(HttpStatusCode.OK, "");
        await Client(fake).RemoveDatasetAsync("t1", "@a", "p", "raw", null, false, NullTrace.Instance, default);
        await Client(fake).RemoveDatasetAsync("t1", "@a", "p", "raw", "1.0.2", true, NullTrace.Instance, default);

        Assert.All(fake.Requests, r => Assert.Equal((HttpMethod.Delete, "/api/datachain/datasets"), (r.Method, r.RequestUri!.AbsolutePath)));
        var whole = Body(fake.Bodies[0]);
        Assert.Equal(new[] { "force", "name", "namespace", "project", "team_name", "version" }, whole.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.False), (whole["version"].ValueKind, whole["force"].ValueKind));
        var one = Body(fake.Bodies[1]);
        Assert.Equal(("1.0.2", JsonValueKind.True), (one["version"].GetString(), one["force"].ValueKind));
    }

    [Fact]
    public async Task An_export_is_asked_for_with_source_cli_and_its_status_by_export_id()
    {
        var fake = new FakeHandler()
            .Respond(HttpStatusCode.OK, """{"export_id": 41, "signed_urls": ["https://storage.example/0"]}""")
            .Respond(HttpStatusCode.OK, """{"status": "running", "files_done": 1, "num_files": 3}""");
        var client = Client(fake);
        var export = await client.StartExportAsync("t1", "@a", "p", "raw", "1.0.2", NullTrace.Instance, default);
        var status = await client.GetExportStatusAsync("t1", export.ExportId!, NullTrace.Instance, default);

        Assert.Equal("/api/datachain/datasets/export", fake.Requests[0].RequestUri!.AbsolutePath);
        Assert.Equal("?namespace=%40a&project=p&name=raw&version=1.0.2&source=cli&team_name=t1", fake.Requests[0].RequestUri!.Query);
        Assert.Equal("41", export.ExportId);
        Assert.Equal("?export_id=41&team_name=t1", fake.Requests[1].RequestUri!.Query);
        Assert.Equal(("running", 1, 3), (status.Status, status.FilesDone, status.NumFiles));
    }
}
