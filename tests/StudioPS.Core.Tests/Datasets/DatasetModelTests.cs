using StudioPS.Client;
using StudioPS.Models;
using Xunit;

namespace StudioPS.Core.Tests.Datasets;

public class DatasetModelTests
{
    // The shape the official client reads (remote/studio.py), with versions out of order and an unknown status.
    private const string Body = """
        {"id": 7, "name": "raw", "description": "Raw rows", "attrs": ["gold", null], "uuid": "u-7",
         "project": {"id": 3, "uuid": "p", "name": "demo", "descr": "", "created_at": "2026-01-01T00:00:00Z",
                     "namespace": {"id": 1, "uuid": "n", "name": "@alice", "descr": "", "created_at": "2026-01-01T00:00:00Z"}},
         "versions": [
           {"id": 11, "uuid": "v11", "dataset_id": 7, "version": "1.0.10", "status": 3, "created_at": "2026-02-03T00:00:00Z",
            "finished_at": "2026-02-03T00:05:00Z", "error_message": "boom", "error_stack": "", "num_objects": 5, "size": 50, "job_id": "j-10"},
           {"id": 10, "uuid": "v10", "dataset_id": 7, "version": "1.0.9", "status": 4, "created_at": "2026-02-01T00:00:00Z",
            "finished_at": "2026-02-01T00:05:00Z", "error_message": "", "error_stack": "", "num_objects": 1000, "size": 4096},
           {"id": 12, "uuid": "v12", "dataset_id": 7, "version": "2.0.0", "status": 5, "created_at": "2026-02-04T00:00:00Z",
            "finished_at": null, "error_message": null, "num_objects": null, "size": null}
         ]}
        """;

    [Fact]
    public void A_dataset_maps_names_statuses_rows_sizes_and_the_latest_version()
    {
        var record = JsonBodies.ReadObject<DatasetRecord>(System.Text.Encoding.UTF8.GetBytes(Body), "GET", "/api/datachain/datasets/info");
        var d = StudioDataset.From(record);
        Assert.Equal(("@alice.demo.raw", "@alice", "demo", "raw", "Raw rows"), (d.FullName, d.Namespace, d.Project, d.Name, d.Description));
        Assert.Equal(new[] { "gold" }, d.Attributes);
        Assert.Equal(new[] { "1.0.9", "1.0.10", "2.0.0" }, d.Versions.Select(v => v.Version));
        Assert.Equal(new[] { "COMPLETE", "FAILED", "UNKNOWN(5)" }, d.Versions.Select(v => v.Status));
        Assert.Equal("2.0.0", d.LatestVersion!.Version);
        var failed = d.Versions[1];
        Assert.Equal((5L, 50L, "boom", "j-10", 3), (failed.Rows!.Value, failed.Size!.Value, failed.ErrorMessage, failed.JobId, failed.StatusCode!.Value));
        Assert.Equal("@alice.demo.raw@1.0.10", failed.ToString());
        Assert.Equal("@alice.demo.raw", d.ToString());
        Assert.Equal(DateTimeOffset.Parse("2026-02-04T00:00:00Z"), d.UpdatedAt);
    }

    [Theory]
    [InlineData(1, "CREATED")]
    [InlineData(2, "PENDING")]
    [InlineData(3, "FAILED")]
    [InlineData(4, "COMPLETE")]
    [InlineData(6, "STALE")]
    [InlineData(7, "REMOVING")]
    [InlineData(8, "REMOVED")]
    [InlineData(99, "UNKNOWN(99)")]
    public void Status_codes_have_the_official_clients_names(int code, string name) =>
        Assert.Equal(name, DatasetVersionStatus.NameOf(code));

    [Fact]
    public void The_versions_a_job_created_are_read_from_dataset_versions()
    {
        var output = JsonBodies.ReadObject<DatasetJobVersionsOutput>(System.Text.Encoding.UTF8.GetBytes(
            """{"dataset_versions": [{"dataset_name": "@a.p.raw", "version": "1.0.1"}, null]}"""), "GET", "/x");
        var v = Assert.Single(output.DatasetVersions!, x => x != null)!;
        Assert.Equal("@a.p.raw@1.0.1", v.ToString());
    }
}
