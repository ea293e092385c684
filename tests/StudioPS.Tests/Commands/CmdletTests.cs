using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using StudioPS.Models;
using StudioPS.Core.Tests.Support;
using Xunit;
using StudioPS.Tests.Support;

namespace StudioPS.Tests.Commands;

public class CmdletTests
{
    private const string Clusters = """[{"id":1,"name":"cpu-small","status":"ACTIVE","default":true,"max_workers":2},{"id":2,"name":"gpu-large","status":"ACTIVE","default":false,"max_workers":8}]""";

    [Fact]
    public void Get_StudioCluster_emits_typed_clusters_filtered_by_wildcard()
    {
        using var connection = InProcessShell.Connection(new FakeHandler().Respond(HttpStatusCode.OK, Clusters));
        using var shell = InProcessShell.Create();
        shell.AddCommand("Get-StudioCluster").AddParameter("Name", "gpu*").AddParameter("Connection", connection);
        var results = shell.Invoke();
        var cluster = Assert.IsType<StudioCluster>(Assert.Single(results).BaseObject);
        Assert.Equal("gpu-large", cluster.Name);
        Assert.Equal(8, cluster.MaxWorkers);
        Assert.False(shell.HadErrors);
    }

    [Fact]
    public void A_literal_name_that_matches_nothing_is_an_ObjectNotFound_error()
    {
        using var connection = InProcessShell.Connection(new FakeHandler().Respond(HttpStatusCode.OK, Clusters));
        using var shell = InProcessShell.Create();
        shell.AddCommand("Get-StudioCluster").AddParameter("Name", new[] { "cpu-small", "nosuch" }).AddParameter("Connection", connection);
        var results = shell.Invoke();
        Assert.Single(results);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("ClusterNotFound,StudioPS.Commands.GetStudioClusterCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("'nosuch'", error.ToString());
    }

    [Fact]
    public void A_server_error_becomes_an_ErrorRecord_with_category_id_message_and_request()
    {
        using var connection = InProcessShell.Connection(new FakeHandler().Respond(HttpStatusCode.Forbidden, """{"detail":"Not authorized for the team t1"}"""));
        using var shell = InProcessShell.Create();
        shell.AddCommand("Get-StudioCluster").AddParameter("Connection", connection);
        shell.Invoke();
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("Studio.Forbidden,StudioPS.Commands.GetStudioClusterCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Equal("GET /api/datachain/clusters/", error.CategoryInfo.Activity);
        Assert.Contains("Not authorized for the team t1", error.ToString());
        Assert.IsType<StudioPS.Client.StudioApiException>(error.Exception);
    }

    [Fact]
    public void Verbose_and_debug_show_the_call_and_never_the_token()
    {
        using var connection = InProcessShell.Connection(new FakeHandler().Respond(HttpStatusCode.OK, Clusters));
        using var shell = InProcessShell.Create();
        shell.AddCommand("Get-StudioCluster").AddParameter("Connection", connection).AddParameter("Verbose").AddParameter("Debug");
        shell.Invoke();
        var verbose = string.Join("\n", shell.Streams.Verbose.Select(v => v.Message));
        var debug = string.Join("\n", shell.Streams.Debug.Select(v => v.Message));
        Assert.Contains("GET https://studio.example/api/datachain/clusters/?team_name=t1 -> 200 OK", verbose);
        Assert.Contains("Authorization: Bearer [redacted]", debug);
        Assert.Contains("cpu-small", debug);
        Assert.DoesNotContain(InProcessShell.Token.Substring(0, 9), verbose + debug);
    }

    [Fact]
    public void Stop_ends_a_call_to_a_server_that_never_answers_within_a_second()
    {
        var fake = new FakeHandler().Hang();
        using var connection = InProcessShell.Connection(fake, timeoutSec: 600);
        using var shell = InProcessShell.Create();
        shell.AddCommand("Get-StudioCluster").AddParameter("Connection", connection);
        var pending = shell.BeginInvoke();
        var waited = Stopwatch.StartNew();
        while (fake.Calls == 0 && waited.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
        Assert.Equal(1, fake.Calls);
        var watch = Stopwatch.StartNew();
        shell.Stop();
        Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(1)), "the call did not end within 1 s of Stop()");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {watch.ElapsedMilliseconds} ms");
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
    }

    [Fact]
    public void Items_read_before_a_broken_body_reach_the_pipeline_before_the_error()
    {
        var items = Enumerable.Range(1, 100).Select(i => $"{{\"id\":{i},\"name\":\"c{i}\"}}").ToList();
        var whole = "[" + string.Join(",", items) + "]";
        // Cut inside the 50th object: 49 complete objects arrive, then the body is malformed.
        var cut = whole.IndexOf("\"c50\"", StringComparison.Ordinal);
        using var connection = InProcessShell.Connection(new FakeHandler().Respond(HttpStatusCode.OK, whole.Substring(0, cut)));
        using var shell = InProcessShell.Create();
        shell.AddCommand("Get-StudioCluster").AddParameter("Connection", connection);
        var results = shell.Invoke();
        Assert.Equal(Enumerable.Range(1, 49).Select(i => "c" + i), results.Select(r => ((StudioCluster)r.BaseObject).Name));
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("Studio.InvalidResponse,StudioPS.Commands.GetStudioClusterCommand", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Select_Object_First_stops_a_long_list_early()
    {
        var many = "[" + string.Join(",", Enumerable.Range(1, 5000).Select(i => $"{{\"id\":{i},\"name\":\"c{i}\"}}")) + "]";
        using var connection = InProcessShell.Connection(new FakeHandler().Respond(HttpStatusCode.OK, many));
        using var shell = InProcessShell.Create();
        shell.AddCommand("Get-StudioCluster").AddParameter("Connection", connection).AddCommand("Select-Object").AddParameter("First", 2);
        var results = shell.Invoke();
        Assert.Equal(new[] { "c1", "c2" }, results.Select(r => ((StudioCluster)r.BaseObject).Name));
    }

    [Fact]
    public void A_plain_string_token_is_accepted_and_a_missing_team_is_reported_before_sending()
    {
        using var shell = InProcessShell.Create();
        shell.AddScript("""
            $env:DATACHAIN_STUDIO_URL = $null
            Connect-Studio -Token 'isat_plainStringToken123456' -BaseUri 'http://127.0.0.1:9' -SkipValidation -PassThru
            """);
        var results = shell.Invoke();
        var connection = Assert.IsType<StudioPS.Session.StudioConnection>(Assert.Single(results).BaseObject);
        Assert.Equal("isat_****3456", connection.MaskedToken);
        Assert.Equal(StudioPS.Session.SettingSource.Parameter, connection.TokenSource);
        Assert.False(connection.Validated);
        shell.Commands.Clear();
        shell.AddScript("Disconnect-Studio");
        shell.Invoke();
        Assert.True(connection.IsDisposed);

        // A connection without a team: a call that needs one stops before any request is sent.
        var fake = new FakeHandler().Respond(HttpStatusCode.OK, "[]");
        using var teamless = InProcessShell.Connection(fake, team: null);
        shell.Commands.Clear();
        shell.AddCommand("Get-StudioJob").AddParameter("Connection", teamless);
        // ThrowTerminatingError: the command stops, with the record the cmdlet built.
        var error = Assert.IsAssignableFrom<IContainsErrorRecord>(Assert.Throws<CmdletInvocationException>(() => shell.Invoke())).ErrorRecord;
        Assert.Equal("TeamRequired,StudioPS.Commands.GetStudioJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("DATACHAIN_STUDIO_TEAM", error.ToString());
        Assert.Equal(0, fake.Calls);
    }
}
