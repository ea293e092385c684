using System.Net;
using System.Text.Json;
using StudioPS.Emulator.Settings;

namespace StudioPS.Emulator.Tests;

/// <summary>The control API answers only with the printed control token and a loopback Host header.</summary>
public sealed class ControlGuardTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    [Fact]
    public async Task Without_the_control_token_nothing_is_changed_and_the_answer_is_401()
    {
        var before = await server.Control.GetStringAsync("_emulator/options");
        var response = await server.Anonymous.PostAsync("_emulator/options", EmulatorServer.JsonBody(new { speed = 99 }));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Emulator-Control", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await server.Control.GetStringAsync("_emulator/options"));
    }

    [Fact]
    public async Task A_wrong_token_or_an_API_token_is_refused()
    {
        foreach (var token in new[] { "ctl_wrong", server.Config.ReadWriteToken, server.Config.ControlToken + "x" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "_emulator/requests");
            request.Headers.Add("X-Emulator-Control", token);
            using var response = await server.Anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("attacker.test:5000")]
    public async Task A_host_header_that_is_not_loopback_is_refused_even_with_the_token(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_emulator/reset");
        request.Headers.Add("X-Emulator-Control", server.Config.ControlToken);
        request.Headers.Host = host;
        using var response = await server.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Loopback_hosts_with_the_token_are_served(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "_emulator/options");
        request.Headers.Add("X-Emulator-Control", server.Config.ControlToken);
        request.Headers.Host = host + ":" + server.BaseUri.Port;
        using var response = await server.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.ValueKind);
    }

    [Fact]
    public async Task The_API_itself_is_not_affected_by_the_guard()
    {
        var response = await server.Client.GetAsync("api/datachain/clusters/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void The_control_token_comes_from_the_command_line_or_the_settings_file_and_is_random_otherwise()
    {
        Assert.StartsWith("ctl_", new EmulatorConfig().ControlToken);
        Assert.NotEqual(new EmulatorConfig().ControlToken, new EmulatorConfig().ControlToken);
        Assert.Equal("ctl_fixed", EmulatorConfig.From(CommandLineOptions.Parse(["--control-token", "ctl_fixed"])).ControlToken);
        string path = Path.Combine(Path.GetTempPath(), "emulator-control-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """{"control_token": "ctl_from_file"}""");
        try
        {
            Assert.Equal("ctl_from_file", EmulatorConfig.From(CommandLineOptions.Parse(["--settings", path])).ControlToken);
            Assert.Throws<UsageException>(() => EmulatorConfig.From(CommandLineOptions.Parse(["--control-token", "isat_same", "--token", "isat_same"])));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
