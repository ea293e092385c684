using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Console;
using StudioPS.Emulator.Api;
using StudioPS.Emulator.Control;
using StudioPS.Emulator.Settings;

namespace StudioPS.Emulator;

/// <summary>Builds the web app: Kestrel on 127.0.0.1 only, quiet logging on stderr, the API and control routes.</summary>
public static class EmulatorApp
{
    public static WebApplication Build(EmulatorConfig config, out Emulator emulator)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });

        // stdout carries only the start-up lines tests parse; everything else goes to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, config.Port);
        });

        var emu = new Emulator(config);
        emulator = emu;
        builder.Services.AddSingleton(emu);

        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.UseMiddleware<ControlGuard>();
        app.UseMiddleware<ApiPipeline>();
        app.UseRouting();

        ControlApi.Map(app, emu);
        ClustersApi.Map(app, emu);
        JobsApi.Map(app, emu);
        UploadsApi.Map(app, emu);
        LogsApi.Map(app, emu);
        PipelinesApi.Map(app, emu);
        DeviceLoginApi.Map(app, emu);
        DatasetsApi.Map(app, emu);

        app.MapFallback(ctx => Json.ErrorAsync(ctx, 404, "detail", "Not found."));
        emu.Clock.Logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StudioPS.Emulator.JobClock");
        app.Lifetime.ApplicationStopping.Register(() => emu.Jobs.Reset());
        app.Lifetime.ApplicationStopped.Register(emu.Dispose);
        return app;
    }

    /// <summary>The address Kestrel actually bound (port 0 resolves to a free port).</summary>
    public static string BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        string address = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("server has no address");
        return address.Replace("[::1]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
    }
}
