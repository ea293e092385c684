using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using K4os.Compression.LZ4.Streams;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator.Tests;

public sealed class DatasetTests(EmulatorServer server) : IClassFixture<EmulatorServer>, IAsyncLifetime
{
    const string T = EmulatorServer.Team;

    public Task InitializeAsync() => server.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<JsonElement[]> List(string query = "") =>
        (await server.Client.GetFromJsonAsync<JsonElement[]>($"api/datachain/datasets?team_name={T}{query}"))!;

    async Task AddDataset(object body)
    {
        var r = await server.Control.PostAsync("_emulator/stored-datasets", EmulatorServer.JsonBody(body));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }

    [Fact]
    public async Task The_graphs_datasets_are_listed_with_namespace_project_and_a_complete_version_and_prefix_filters_names()
    {
        var all = await List();
        var raw = all.Single(d => d.GetProperty("name").GetString() == "raw");
        Assert.Equal("@emulator", raw.GetProperty("project").GetProperty("namespace").GetProperty("name").GetString());
        Assert.Equal("demo", raw.GetProperty("project").GetProperty("name").GetString());
        var version = Assert.Single(raw.GetProperty("versions").EnumerateArray());
        Assert.Equal(("1.0.0", 4), (version.GetProperty("version").GetString(), version.GetProperty("status").GetInt32()));
        Assert.Equal(new[] { "clean" }, (await List("&prefix=cl")).Select(d => d.GetProperty("name").GetString()));
        Assert.Contains(all, d => d.GetProperty("name").GetString()!.StartsWith("ds_query_"));
    }

    [Fact]
    public async Task An_export_progresses_over_time_and_serves_LZ4_framed_parquet_parts_from_another_host_name()
    {
        await AddDataset(new { team = T, name = "@emulator.demo.big", versions = new[] { new { version = "1.0.0", size = 300_000, parts = 3, part_delay_ms = 4000 } } });
        var export = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/datasets/export?namespace=%40emulator&project=demo&name=big&version=1.0.0&source=cli&team_name={T}");
        var urls = export.GetProperty("signed_urls").EnumerateArray().Select(u => new Uri(u.GetString()!)).ToList();
        Assert.Equal(3, urls.Count);
        Assert.All(urls, u => Assert.Equal("localhost", u.Host));
        Assert.Equal(server.BaseUri.Port, urls[0].Port);

        using var storage = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await storage.GetAsync(urls[2])).StatusCode);
        string status = "";
        for (int i = 0; i < 200 && status != "completed"; i++)
        {
            var s = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/datasets/export-status?export_id={export.GetProperty("export_id").GetInt32()}&team_name={T}");
            status = s.GetProperty("status").GetString()!;
            Assert.Equal(3, s.GetProperty("num_files").GetInt32());
            if (status != "completed") await Task.Delay(50);
        }
        Assert.Equal("completed", status);

        var frame = await storage.GetByteArrayAsync(urls[2]);
        Assert.Equal(new byte[] { 0x04, 0x22, 0x4D, 0x18 }, frame[..4]);
        using var decoded = new MemoryStream();
        using (var decoder = LZ4Stream.Decode(new MemoryStream(frame))) await decoder.CopyToAsync(decoded);
        var bytes = decoded.ToArray();
        Assert.Equal(100_000, bytes.Length);
        Assert.Equal("PAR1", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("PAR1", Encoding.ASCII.GetString(bytes, bytes.Length - 4, 4));

        var bad = new UriBuilder(urls[0]) { Query = "X-Signature=wrong" }.Uri;
        Assert.Equal(HttpStatusCode.Forbidden, (await storage.GetAsync(bad)).StatusCode);
    }

    /// <summary>Sizes whose last block is of every kind the frame writer makes (the kept and the streamed part run them all).</summary>
    public static TheoryData<long> PartSizes => new()
    {
        10,        // less than a part's least (magic, footer, its length, magic): the part is that least
        65_536,    // one whole stored block
        131_072,   // a stored and a literal-only block, both whole
        196_622,   // a literal-only fourth block of 14 bytes (no length extension)
        196_908,   // a literal-only fourth block of 300 bytes (one length byte)
        200_003,   // a literal-only fourth block of 3,395 bytes (14 length bytes)
        262_150,   // a stored fifth block of 6 bytes
    };

    [Theory]
    [MemberData(nameof(PartSizes))]
    public Task A_part_is_sent_with_its_Content_Length_as_object_storage_sends_a_stored_object(long size) =>
        AssertPartSentWhole(server, size, expectKept: true);

    /// <summary>
    /// Exports one part of <paramref name="size"/> bytes and checks what was sent: no chunks, its Content-Length, the
    /// bytes the part's generator writes for its seed, a frame of the content it declares; and whether the parts host kept it.
    /// </summary>
    internal static async Task AssertPartSentWhole(EmulatorServer server, long size, bool expectKept)
    {
        var add = await server.Control.PostAsync("_emulator/stored-datasets", EmulatorServer.JsonBody(new { team = T, name = "@emulator.demo.sized", versions = new[] { new { version = "1.0.0", size, parts = 1, part_delay_ms = 0 } } }));
        Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        var export = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/datasets/export?namespace=%40emulator&project=demo&name=sized&version=1.0.0&team_name={T}");
        using var storage = new HttpClient();
        using var response = await storage.GetAsync(export.GetProperty("signed_urls")[0].GetString()!);
        var frame = await response.Content.ReadAsByteArrayAsync();
        Assert.False(response.Headers.TransferEncodingChunked ?? false);
        Assert.Equal(frame.Length, response.Content.Headers.ContentLength);
        var made = server.Emu.Datasets.FindExport(export.GetProperty("export_id").GetInt32())!;
        using var generated = new MemoryStream();
        await ParquetPart.WriteAsync(new Lz4FrameWriter(generated), made.PartSize(0), made.PartSeed(0), CancellationToken.None);
        Assert.Equal(generated.ToArray(), frame);
        using var decoded = new MemoryStream();
        using (var decoder = LZ4Stream.Decode(new MemoryStream(frame))) await decoder.CopyToAsync(decoded);
        if (size > 100) Assert.Equal(size, decoded.Length);
        else Assert.InRange(decoded.Length, 70, 100);
        var seen = await server.Control.GetFromJsonAsync<JsonElement>("_emulator/export-parts");
        Assert.Equal(expectKept ? frame.Length : 0, seen.GetProperty("kept_bytes").GetInt64());
    }

    [Fact]
    public async Task The_parts_host_keeps_a_part_once_made_and_sends_every_export_of_the_version_the_same_bytes()
    {
        await AddDataset(new { team = T, name = "@emulator.demo.kept", versions = new[] { new { version = "1.0.0", size = 200_003, parts = 2, part_delay_ms = 0 } } });
        const string exportUri = $"api/datachain/datasets/export?namespace=%40emulator&project=demo&name=kept&version=1.0.0&team_name={T}";
        async Task<long> Kept() => (await server.Control.GetFromJsonAsync<JsonElement>("_emulator/export-parts")).GetProperty("kept_bytes").GetInt64();
        var first = await server.Client.GetFromJsonAsync<JsonElement>(exportUri);
        using var storage = new HttpClient();
        Assert.Equal(0, await Kept());
        var part = await storage.GetByteArrayAsync(first.GetProperty("signed_urls")[1].GetString());
        Assert.Equal(part.Length, await Kept());
        Assert.Equal(part, await storage.GetByteArrayAsync(first.GetProperty("signed_urls")[1].GetString()));
        // A second export of the same version: new URLs, the same stored objects.
        var second = await server.Client.GetFromJsonAsync<JsonElement>(exportUri);
        Assert.NotEqual(first.GetProperty("signed_urls")[1].GetString(), second.GetProperty("signed_urls")[1].GetString());
        Assert.Equal(part, await storage.GetByteArrayAsync(second.GetProperty("signed_urls")[1].GetString()));
        var other = await storage.GetByteArrayAsync(second.GetProperty("signed_urls")[0].GetString());
        Assert.NotEqual(part, other);
        Assert.Equal(part.Length + other.Length, await Kept());
        // A kept part of a removed version is gone, as the export is.
        using var remove = new HttpRequestMessage(HttpMethod.Delete, "api/datachain/datasets")
        {
            Content = EmulatorServer.JsonBody(new { name = "kept", @namespace = "@emulator", project = "demo", version = "1.0.0", force = false, team_name = T }),
        };
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(remove)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await storage.GetAsync(second.GetProperty("signed_urls")[1].GetString())).StatusCode);
        await server.ResetAsync();
        Assert.Equal(0, await Kept());
    }

    [Fact]
    public async Task The_parts_host_records_whether_an_Authorization_header_reached_it()
    {
        await AddDataset(new { team = T, name = "@emulator.demo.small", versions = new[] { new { version = "1.0.0", size = 1000, parts = 1, part_delay_ms = 0 } } });
        var export = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/datasets/export?namespace=%40emulator&project=demo&name=small&version=1.0.0&team_name={T}");
        var url = export.GetProperty("signed_urls")[0].GetString()!;
        using var storage = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await storage.GetAsync(url)).StatusCode);
        var leaked = await server.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, leaked.StatusCode);
        var seen = await server.Control.GetFromJsonAsync<JsonElement>("_emulator/export-parts");
        Assert.Equal((2, 1), (seen.GetProperty("requests").GetInt32(), seen.GetProperty("with_authorization").GetInt32()));
    }

    [Fact]
    public async Task A_completed_job_adds_a_version_of_what_it_saved_and_dataset_job_versions_names_it()
    {
        var job = await server.CreateJobAsync("import datachain as dc\ndc.read_values(x=[1]).save(\"@emulator.demo.raw\")");
        string id = job.GetProperty("id").GetString()!;
        await server.WaitForJobAsync(id, EmulatorServer.Terminal);
        var versions = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/datasets/dataset_job_versions?job_id={id}&team_name={T}");
        var v = Assert.Single(versions.GetProperty("dataset_versions").EnumerateArray());
        Assert.Equal(("@emulator.demo.raw", "1.0.1"), (v.GetProperty("dataset_name").GetString(), v.GetProperty("version").GetString()));
        var info = await server.Client.GetFromJsonAsync<JsonElement>($"api/datachain/datasets/info?namespace=%40emulator&project=demo&name=raw&team_name={T}");
        Assert.Equal(id, info.GetProperty("versions")[1].GetProperty("job_id").GetString());
    }

    [Fact]
    public async Task Removal_and_rename_change_what_is_listed()
    {
        var rename = await server.Client.PostAsync("api/datachain/datasets", EmulatorServer.JsonBody(new
        {
            name = "labels", @namespace = "@emulator", project = "demo", new_name = "tags", description = "d", attrs = new[] { "a" }, team_name = T,
        }));
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        var conflict = await server.Client.PostAsync("api/datachain/datasets", EmulatorServer.JsonBody(new
        {
            name = "tags", @namespace = "@emulator", project = "demo", new_name = "raw", description = (string?)null, attrs = (string[]?)null, team_name = T,
        }));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "api/datachain/datasets")
        {
            Content = EmulatorServer.JsonBody(new { name = "tags", @namespace = "@emulator", project = "demo", version = (string?)null, force = false, team_name = T }),
        };
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(delete)).StatusCode);
        Assert.DoesNotContain(await List(), d => d.GetProperty("name").GetString() == "tags");
        var removed = (await List("&include_removed=true")).Single(d => d.GetProperty("name").GetString() == "tags");
        Assert.Equal(8, removed.GetProperty("versions")[0].GetProperty("status").GetInt32());
        var info = await server.Client.GetAsync($"api/datachain/datasets/info?namespace=%40emulator&project=demo&name=tags&team_name={T}");
        Assert.Equal(HttpStatusCode.NotFound, info.StatusCode);
    }
}
