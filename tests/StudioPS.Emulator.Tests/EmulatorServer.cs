using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using StudioPS.Emulator;
using StudioPS.Emulator.Settings;

namespace StudioPS.Emulator.Tests;

/// <summary>An emulator running in-process on a free port, fast clocks, with clients for both tokens.</summary>
public sealed class EmulatorServer : IAsyncLifetime
{
    public const string Team = "emulator-team";

    WebApplication? _app;

    public StudioPS.Emulator.Emulator Emu { get; private set; } = null!;
    public Uri BaseUri { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public HttpClient ReadOnly { get; private set; } = null!;
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The one client for the emulator's control API (<c>_emulator/*</c>): every control call goes through it.</summary>
    public HttpClient Control { get; private set; } = null!;
    public EmulatorConfig Config { get; } = new() { Speed = 20, Port = 0 };

    public async Task InitializeAsync()
    {
        _app = EmulatorApp.Build(Config, out var emu);
        await _app.StartAsync();
        emu.BaseUrl = EmulatorApp.BoundAddress(_app);
        Emu = emu;
        BaseUri = new Uri(emu.BaseUrl + "/");
        Client = NewClient("Bearer", Config.ReadWriteToken);
        ReadOnly = NewClient("token", Config.ReadOnlyToken);
        Anonymous = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        Control = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        Control.DefaultRequestHeaders.Add("X-Emulator-Control", Config.ControlToken);
    }

    public HttpClient NewClient(string scheme, string token)
    {
        var c = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        return c;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        ReadOnly.Dispose();
        Anonymous.Dispose();
        Control.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public Task ResetAsync() => Control.PostAsync("_emulator/reset", null);

    public static StringContent JsonBody(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public async Task<JsonElement> CreateJobAsync(string query, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["query"] = query, ["team_name"] = Team };
        if (extra is not null)
            foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
        var response = await Client.PostAsync("api/datachain/jobs/", JsonBody(body));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> GetJobAsync(string id)
    {
        var list = await Client.GetFromJsonAsync<JsonElement>($"api/datachain/jobs/?team_name={Team}&job_id={id}");
        return Assert.Single(list.EnumerateArray());
    }

    public async Task<JsonElement> WaitForJobAsync(string id, Func<JsonElement, bool> until, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var job = await GetJobAsync(id);
            if (until(job)) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {id} stayed {job.GetProperty("status")}");
            await Task.Delay(20);
        }
    }

    public static bool Terminal(JsonElement job) =>
        job.GetProperty("status").GetString() is "COMPLETE" or "FAILED" or "CANCELED" or "TASK";
}
