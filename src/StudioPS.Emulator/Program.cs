using StudioPS.Emulator;
using StudioPS.Emulator.Settings;

// Entry point: parse the command line, start the server, print the start-up lines tests read, then stay
// quiet on stdout until stopped (Ctrl+C, SIGTERM, POST /_emulator/shutdown, parent exit or max lifetime).

EmulatorConfig config;
try
{
    config = EmulatorConfig.From(CommandLineOptions.Parse(args));
}
catch (HelpRequestedException)
{
    Console.Out.WriteLine(CommandLineOptions.Usage);
    Console.Out.WriteLine("See docs/EMULATOR.md for the settings file, the query convention and the /_emulator control API.");
    return 0;
}
catch (UsageException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    Console.Error.WriteLine(CommandLineOptions.Usage);
    return 2;
}

WebApplication app;
try
{
    app = EmulatorApp.Build(config, out var emulator);
    await app.StartAsync();
    emulator.BaseUrl = EmulatorApp.BoundAddress(app);
}
catch (IOException e)
{
    // Typically the requested port is taken.
    Console.Error.WriteLine("error: cannot listen: " + e.Message);
    return 1;
}

var emu = app.Services.GetRequiredService<Emulator>();
var stdout = Console.Out;
foreach (string line in new[]
{
    $"Studio emulator listening on {emu.BaseUrl}",
    $"Token: {config.ReadWriteToken}",
    $"ReadOnlyToken: {config.ReadOnlyToken}",
    $"Team: {config.DefaultTeam}",
    $"ControlToken: {config.ControlToken}",
})
{
    stdout.WriteLine(line);
    stdout.Flush();
}

var lifetime = app.Lifetime;
var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StudioPS.Emulator");

// A test's server must always stop by itself, even when the test runner is killed.
if (config.MaxLifetimeSec > 0)
{
    _ = Task.Delay(TimeSpan.FromSeconds(config.MaxLifetimeSec), lifetime.ApplicationStopping).ContinueWith(t =>
    {
        if (t.IsCompletedSuccessfully)
        {
            logger.LogWarning("Maximum lifetime of {Seconds} s reached; stopping", config.MaxLifetimeSec);
            lifetime.StopApplication();
        }
    }, TaskScheduler.Default);
}

if (config.ParentPid is { } parentPid)
{
    _ = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                if (!ProcessLiveness.IsAlive(parentPid))
                {
                    logger.LogWarning("Parent process {Pid} has exited; stopping", parentPid);
                    lifetime.StopApplication();
                    return;
                }
            }
            while (await timer.WaitForNextTickAsync(lifetime.ApplicationStopping));
        }
        catch (OperationCanceledException)
        {
        }
    });
}

await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;
