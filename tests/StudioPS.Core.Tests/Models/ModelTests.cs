using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using StudioPS.Client;
using StudioPS.Models;
using Xunit;

namespace StudioPS.Core.Tests.Models;

public class ModelTests
{
    // The document's own example payload for GET /api/datachain/clusters/.
    private const string DocumentClusters = """
        [
          {
            "id": 1,
            "name": "ComputeClusterName",
            "status": "ACTIVE",
            "cloud_provider": "AWS",
            "cloud_credentials": "CredentialsName",
            "is_active": true,
            "default": true,
            "max_workers": 1
          }
        ]
        """;

    private static async Task<List<T>> ReadList<T>(string json, string wrapper) where T : class
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return await JsonBodies.ReadListAsync<T>(stream, wrapper, "GET", "/api/x", default).ToListAsync();
    }

    [Fact]
    public async Task The_documents_cluster_example_maps_to_every_property()
    {
        var cluster = Assert.Single(await ReadList<StudioCluster>(DocumentClusters, "clusters"));
        Assert.Equal("1", cluster.Id);
        Assert.Equal("ComputeClusterName", cluster.Name);
        Assert.Equal("ACTIVE", cluster.Status);
        Assert.Equal("AWS", cluster.CloudProvider);
        Assert.Equal("CredentialsName", cluster.CloudCredentials);
        Assert.True(cluster.IsActive);
        Assert.True(cluster.IsDefault);
        Assert.Equal(1, cluster.MaxWorkers);
        Assert.Null(cluster.ActiveWorkers);
        Assert.Null(cluster.CloudRegion);
    }

    [Fact]
    public async Task Newer_fields_string_ids_and_unknown_fields_are_read()
    {
        var json = """[{"id":"c-7","name":"n","status":"SOMETHING_NEW","active_workers":2,"busy_workers":1,"cloud_region":"eu-west-1","instance_type":"m5.large","compute_class":"cpu","disk_size":100,"brand_new_field":{"x":[1,2]}}]""";
        var cluster = Assert.Single(await ReadList<StudioCluster>(json, "clusters"));
        Assert.Equal("c-7", cluster.Id);
        Assert.Equal("SOMETHING_NEW", cluster.Status);
        Assert.Equal((2, 1), (cluster.ActiveWorkers, cluster.BusyWorkers));
        Assert.Equal("eu-west-1", cluster.CloudRegion);
        Assert.Equal("m5.large", cluster.InstanceType);
        Assert.Equal("cpu", cluster.ComputeClass);
        Assert.Equal("100", cluster.DiskSize);
        Assert.Null(cluster.MaxWorkers);
    }

    [Fact]
    public async Task The_older_wrapped_list_form_is_accepted()
    {
        var clusters = await ReadList<StudioCluster>("{\"clusters\": " + DocumentClusters + "}", "clusters");
        Assert.Equal("ComputeClusterName", Assert.Single(clusters).Name);
    }

    [Fact]
    public async Task Null_elements_are_skipped()
    {
        var clusters = await ReadList<StudioCluster>("""[null,{"id":2,"name":"b"},null]""", "clusters");
        Assert.Equal("b", Assert.Single(clusters).Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"a string\"")]
    [InlineData("{\"other\": 1}")]
    [InlineData("[{\"id\": {\"nested\": true}}]")]
    [InlineData("[{\"max_workers\": \"many\"}]")]
    [InlineData("[{\"is_active\": 3}]")]
    [InlineData("[1, 2, 3]")]
    public async Task A_malformed_list_is_an_InvalidResponse(string json)
    {
        var error = await Assert.ThrowsAsync<StudioApiException>(() => ReadList<StudioCluster>(json, "clusters"));
        Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
        Assert.Equal("/api/x", error.Path);
    }

    [Fact]
    public async Task Deep_nesting_fails_as_InvalidResponse_not_a_stack_overflow()
    {
        var json = "[{\"x\":" + new string('[', 5000) + new string(']', 5000) + "}]";
        var error = await Assert.ThrowsAsync<StudioApiException>(() => ReadList<StudioCluster>(json, "clusters"));
        Assert.Equal(StudioErrorKind.InvalidResponse, error.Kind);
    }

    [Fact]
    public async Task List_items_arrive_before_the_body_is_complete()
    {
        var pipe = new Pipe();
        var reader = pipe.Reader.AsStream();
        var first = Encoding.UTF8.GetBytes("""[{"id":1,"name":"first"},""" + new string(' ', 20000));
        await pipe.Writer.WriteAsync(first);
        await pipe.Writer.FlushAsync();
        await using var items = JsonBodies.ReadListAsync<StudioCluster>(reader, "clusters", "GET", "/api/x", default).GetAsyncEnumerator();
        var moved = items.MoveNextAsync().AsTask();
        // A deadline, not a timing: without streaming the item never arrives while the body is open.
        var done = await Task.WhenAny(moved, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.Same(moved, done);
        Assert.True(await moved);
        Assert.Equal("first", items.Current.Name);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("""{"id":2,"name":"second"}]"""));
        await pipe.Writer.CompleteAsync();
        Assert.True(await items.MoveNextAsync());
        Assert.Equal("second", items.Current.Name);
        Assert.False(await items.MoveNextAsync());
    }

    [Theory]
    [InlineData("\"2021-01-01T00:00:00Z\"", "2021-01-01T00:00:00.0000000+00:00")]
    [InlineData("\"2021-01-01T02:00:00+02:00\"", "2021-01-01T02:00:00.0000000+02:00")]
    [InlineData("\"2021-01-01 00:00:00\"", "2021-01-01T00:00:00.0000000+00:00")]
    [InlineData("\"\"", null)]
    [InlineData("null", null)]
    public void Times_read_as_DateTimeOffset(string json, string? expected)
    {
        var value = JsonSerializer.Deserialize<DateTimeOffset?>(json, StudioJson.Options);
        Assert.Equal(expected, value?.ToString("o"));
    }

    [Fact]
    public void A_word_that_is_not_a_time_is_a_JsonException() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset?>("\"yesterday\"", StudioJson.Options));

    [Fact]
    public void A_job_shows_parent_rerun_run_group_and_params_when_the_server_sends_them()
    {
        var job = System.Text.Json.JsonSerializer.Deserialize<StudioPS.Models.StudioJob>(
            "{\"id\":\"j2\",\"parent_job_id\":7,\"rerun_from_job_id\":\"j1\",\"run_group_id\":\"g1\",\"params\":{\"n\":3,\"name\":\"x\",\"on\":true,\"list\":[1]}}",
            StudioPS.Models.StudioJson.Options)!;
        Assert.Equal("7", job.ParentJobId);
        Assert.Equal("j1", job.RerunFromJobId);
        Assert.Equal("g1", job.RunGroupId);
        Assert.Equal(3L, job.Params!["n"]);
        Assert.Equal("x", job.Params["name"]);
        Assert.Equal(true, job.Params["on"]);
        Assert.Equal("[1]", job.Params["list"]);
    }
}
