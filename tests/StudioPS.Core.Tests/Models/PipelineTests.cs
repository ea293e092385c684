using System.Text.Json;
using StudioPS.Client;
using StudioPS.Models;
using Xunit;
using StudioPS.Input;
using StudioPS.Rendering;

namespace StudioPS.Core.Tests.Models;

public class DatasetNameTests
{
    [Theory]
    [InlineData("@amritghimire.project_name.dataset_name", null, "@amritghimire", "project_name", "dataset_name", null)]
    [InlineData("@ns.proj.ds@1.0.0", null, "@ns", "proj", "ds", "1.0.0")]
    [InlineData("@ns.proj.ds@1.0.0", "2.1.0", "@ns", "proj", "ds", "2.1.0")]
    [InlineData("proj.ds", null, null, "proj", "ds", null)]
    [InlineData("ds", "3", null, null, "ds", "3")]
    [InlineData("  my-data  ", null, null, null, "my-data", null)]
    public void Names_parse_into_the_documents_fields(string text, string? version, string? ns, string? project, string name, string? expectedVersion)
    {
        var dataset = DatasetName.Parse(text, version);
        Assert.Equal((ns, project, name, expectedVersion), (dataset.Namespace, dataset.Project, dataset.Name, dataset.Version));
    }

    [Theory]
    [InlineData("", "InvalidDataset")]
    [InlineData("a.b.c.d", "InvalidDataset")]
    [InlineData("@ns.proj.ds@", "InvalidDataset")]
    [InlineData("@ns.proj.ds@latest", "InvalidVersion")]
    [InlineData("has space", "InvalidDataset")]
    [InlineData("ns.@proj.ds", "InvalidDataset")]
    public void Bad_names_are_refused(string text, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<StudioInputException>(() => DatasetName.Parse(text)).ErrorId);

    [Fact]
    public async Task The_trigger_body_is_the_documents_with_the_namespace_keeping_its_at()
    {
        var body = DatasetName.Parse("@amritghimire.project_name.dataset_name@1.0.0").ToTrigger("team_name", review: false);
        var json = System.Text.Encoding.UTF8.GetString(await StudioClient.JsonContent(body).ReadAsByteArrayAsync());
        Assert.Equal("""{"namespace_name":"@amritghimire","project_name":"project_name","dataset_name":"dataset_name","version":"1.0.0","team_name":"team_name","review":false}""", json);
    }
}

public class PipelineGraphTests
{
    // The document's example, with a graph: raw -> clean -> features <- labels, features -> report.
    private static StudioPipeline Sample() => JsonSerializer.Deserialize<StudioPipeline>("""
        {
          "pipeline_id": "ec036e81-7903-4e4d-bbfa-ac8516341cf0",
          "status": "RUNNING",
          "job_runs": [
            {"job_id": "r", "status": "COMPLETED", "parent_job_ids": [], "name": "raw", "created_job_id": "j1"},
            {"job_id": "c", "status": "RUNNING", "parent_job_ids": ["r"], "name": "clean", "created_job_id": "j2"},
            {"job_id": "l", "status": "COMPLETED", "parent_job_ids": [], "name": "labels", "created_job_id": "j3"},
            {"job_id": "f", "status": "PENDING", "parent_job_ids": ["c", "l"], "name": "features", "created_job_id": null},
            {"job_id": "p", "status": "PENDING", "parent_job_ids": ["f"], "name": "report", "created_job_id": null}
          ],
          "completed": 2, "total": 5, "error_message": null, "error_stack": null,
          "triggered_from": "@ns.proj.report", "name": "rathe-kyat",
          "created_at": "2021-01-01T00:00:00Z", "updated_at": "2021-01-01T00:00:00Z"
        }
        """, StudioJson.Options)!;

    [Fact]
    public void The_documents_pipeline_example_maps_to_every_property()
    {
        var p = JsonSerializer.Deserialize<StudioPipeline>("""
            {"pipeline_id":"ec036e81-7903-4e4d-bbfa-ac8516341cf0","status":"RUNNING","job_runs":[{"job_id":"453bd7d7-5355-4d6d-a38e-d9e7eb218c3f","status":"string","parent_job_ids":["497f6eca-6276-4993-bfeb-53cbbbba6f08"],"name":"string","created_job_id":"31f5fe21-b847-420d-8689-ef5a1d3104a4"}],"completed":10,"total":16,"error_message":"Error message","error_stack":"Error stack","triggered_from":"@amritghimire.project.dataset","name":"rathe-kyat","created_at":"2021-01-01T00:00:00Z","updated_at":"2021-01-01T00:00:00Z"}
            """, StudioJson.Options)!;
        Assert.Equal("ec036e81-7903-4e4d-bbfa-ac8516341cf0", p.Id);
        Assert.Equal(("RUNNING", 10, 16, 62), (p.Status, p.Completed, p.Total, p.PercentComplete));
        Assert.Equal(("Error message", "Error stack"), (p.ErrorMessage, p.ErrorStack));
        Assert.Equal(("@amritghimire.project.dataset", "rathe-kyat"), (p.TriggeredFrom, p.Name));
        var run = Assert.Single(p.JobRuns!);
        Assert.Equal("453bd7d7-5355-4d6d-a38e-d9e7eb218c3f", run.JobId);
        Assert.Equal(new[] { "497f6eca-6276-4993-bfeb-53cbbbba6f08" }, run.ParentJobIds);
        Assert.Equal("31f5fe21-b847-420d-8689-ef5a1d3104a4", run.CreatedJobId);
    }

    [Fact]
    public void The_tree_puts_every_parent_before_its_children_and_names_the_other_parents()
    {
        Assert.Equal(new[]
        {
            "rathe-kyat [RUNNING] 2/5 from @ns.proj.report",
            "├─ raw [COMPLETED]",
            "│  └─ clean [RUNNING]",
            "└─ labels [COMPLETED]",
            "   └─ features [PENDING] (also after clean)",
            "      └─ report [PENDING]",
        }, PipelineGraph.Tree(Sample()));
    }

    [Fact]
    public void Mermaid_has_one_node_per_run_and_one_edge_per_parent()
    {
        var text = PipelineGraph.Mermaid(Sample());
        Assert.StartsWith("flowchart TD\n", text);
        Assert.Contains("n1[\"raw<br/>COMPLETED\"]:::done", text);
        Assert.Contains("n4[\"features<br/>PENDING\"]:::waiting", text);
        var edges = text.Split('\n').Where(l => l.Contains("-->")).Select(l => l.Trim()).OrderBy(l => l).ToList();
        Assert.Equal(new[] { "n1 --> n2", "n2 --> n4", "n3 --> n4", "n4 --> n5" }, edges);
    }

    [Fact]
    public void Dot_has_one_node_per_run_and_one_edge_per_parent()
    {
        var text = PipelineGraph.Dot(Sample());
        Assert.StartsWith("digraph \"rathe-kyat\" {", text);
        Assert.Contains("n2 [label=\"clean\\nRUNNING\", fillcolor=\"#fff3cd\"];", text);
        var edges = text.Split('\n').Where(l => l.Contains("->")).Select(l => l.Trim()).OrderBy(l => l).ToList();
        Assert.Equal(new[] { "n1 -> n2;", "n2 -> n4;", "n3 -> n4;", "n4 -> n5;" }, edges);
        Assert.EndsWith("}\n", text);
    }

    [Fact]
    public void Unknown_parents_and_cycles_do_not_lose_runs()
    {
        var p = new StudioPipeline
        {
            Name = "odd",
            JobRuns = new[]
            {
                new StudioPipelineJobRun { JobId = "a", Name = "a", ParentJobIds = new[] { "b" } },
                new StudioPipelineJobRun { JobId = "b", Name = "b", ParentJobIds = new[] { "a" } },
                new StudioPipelineJobRun { JobId = "c", Name = "c", ParentJobIds = new[] { "gone" } },
            },
        };
        var tree = PipelineGraph.Tree(p);
        Assert.Contains(tree, l => l.Contains("a ["));
        Assert.Contains(tree, l => l.Contains("b ["));
        Assert.Contains(tree, l => l.Contains("c ["));
    }
}
