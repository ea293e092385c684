using System.Net;
using System.Text.Json;
using StudioPS.Client;
using StudioPS.Core.Tests.Support;
using StudioPS.Http;
using StudioPS.Models;
using Xunit;

namespace StudioPS.Core.Tests.Client;

public class ActionAndTriggerTests
{
    private const string Pipeline = "{\"ok\":true,\"pipeline\":{\"id\":\"p1\",\"name\":\"rathe-kyat\",\"status\":\"PAUSED\"}}";

    private static StudioClient Client(FakeHandler fake) =>
        new(StudioHttp.Create(new StudioHttpOptions { PrimaryHandler = fake, MaxRetries = 0 }, out _), new Uri("https://s.example/api/"), Redactor.None);

    [Theory]
    [InlineData("{}", "application/json")]
    [InlineData("", "application/json")]
    [InlineData("OK", "text/plain")]
    [InlineData("{\"message\":\"Successfully canceled\"}", "application/json")]
    public async Task Cancel_succeeds_on_any_2xx_body(string body, string media)
    {
        var feedback = await Client(new FakeHandler().Respond(HttpStatusCode.OK, body, media)).CancelJobAsync("t", "j", NullTrace.Instance, default);
        Assert.Equal(body.Contains("Successfully") ? "Successfully canceled" : null, feedback.Message);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("")]
    [InlineData("accepted")]
    public async Task Pause_and_resume_succeed_on_any_2xx_body_without_a_pipeline(string body)
    {
        var client = Client(new FakeHandler().Respond(HttpStatusCode.OK, body, "text/plain").Respond(HttpStatusCode.OK, body, "text/plain"));
        Assert.Null(await client.PausePipelineAsync(new PipelineInput { TeamName = "t", Name = "p" }, NullTrace.Instance, default));
        Assert.Null(await client.ResumePipelineAsync(new PipelineInput { TeamName = "t", Name = "p" }, NullTrace.Instance, default));
    }

    [Fact]
    public async Task Pause_answered_ok_false_is_still_an_error()
    {
        var client = Client(new FakeHandler().Respond(HttpStatusCode.OK, "{\"ok\":false,\"message\":\"already finished\"}"));
        var error = await Assert.ThrowsAsync<StudioApiException>(() => client.PausePipelineAsync(new PipelineInput { TeamName = "t", Name = "p" }, NullTrace.Instance, default));
        Assert.Contains("already finished", error.Message);
    }

    private static TriggerPipelinesInput Official(params string[] names) => new() { Datasets = names.ToList(), TeamName = "t", Review = true };

    private static TriggerPipelineInput Document() =>
        new() { NamespaceName = "@ns", ProjectName = "p", DatasetName = "d", Version = "1.0.0", TeamName = "t", Review = true };

    [Fact]
    public async Task Several_datasets_go_in_the_official_body()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, Pipeline);
        await Client(fake).TriggerPipelineAsync(Official("@ns.p.a", "@ns.p.b@2.0.0"), null, NullTrace.Instance, default);
        using var body = JsonDocument.Parse(fake.Bodies[0]!);
        Assert.Equal(new[] { "@ns.p.a", "@ns.p.b@2.0.0" }, body.RootElement.GetProperty("datasets").EnumerateArray().Select(e => e.GetString()));
        Assert.True(body.RootElement.GetProperty("review").GetBoolean());
        Assert.Equal("t", body.RootElement.GetProperty("team_name").GetString());
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData((HttpStatusCode)422)]
    public async Task A_rejected_document_body_is_retried_once_in_the_official_form_which_the_connection_then_keeps(HttpStatusCode rejection)
    {
        var fake = new FakeHandler()
            .Respond(rejection, "{\"detail\":\"datasets: field required\"}")
            .Respond(HttpStatusCode.OK, Pipeline)
            .Respond(HttpStatusCode.OK, Pipeline);
        var client = Client(fake);
        var pipeline = await client.TriggerPipelineAsync(Official("@ns.p.d@1.0.0"), Document(), NullTrace.Instance, default);
        Assert.Equal("rathe-kyat", pipeline.Name);
        Assert.Contains("dataset_name", fake.Bodies[0]);
        Assert.Contains("\"datasets\"", fake.Bodies[1]);
        Assert.True(client.UsesOfficialTriggerForm);
        await client.TriggerPipelineAsync(Official("@ns.p.d@1.0.0"), Document(), NullTrace.Instance, default);
        Assert.Equal(3, fake.Calls);
        Assert.Contains("\"datasets\"", fake.Bodies[2]);
    }

    [Fact]
    public async Task Other_failures_of_the_document_body_are_not_retried()
    {
        var fake = new FakeHandler().Respond(HttpStatusCode.NotFound, "{\"ok\":false,\"message\":\"Dataset @ns.p.d not found\"}");
        var client = Client(fake);
        await Assert.ThrowsAsync<StudioApiException>(() => client.TriggerPipelineAsync(Official("@ns.p.d"), Document(), NullTrace.Instance, default));
        Assert.Equal(1, fake.Calls);
        Assert.False(client.UsesOfficialTriggerForm);
    }
}
