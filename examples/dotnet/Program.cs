// Connects to Studio from the datachain settings (DATACHAIN_STUDIO_TOKEN/TEAM/URL or the config that
// 'datachain auth login' writes), lists the compute clusters, runs a job and follows its log.
// Exit code: 0 when the job ends COMPLETE, 1 otherwise.
//
//   dotnet run --project examples/dotnet -- "print('hello from .NET')"
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Models;
using StudioPS.Session;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var query = args.Length > 0 ? args[0] : "print('hello from .NET')";

try
{
    using var connection = StudioConnection.Open();
    var team = connection.Team ?? throw new InvalidOperationException("No team is set: set DATACHAIN_STUDIO_TEAM or studio.team in the datachain config.");
    var client = connection.Client;
    Console.WriteLine($"Connected to {connection.BaseUri} as team {team} (token {connection.MaskedToken}).");

    await foreach (var cluster in client.GetClustersAsync(team, StudioTrace.None, stop.Token))
        Console.WriteLine($"Cluster {cluster.Name} {cluster.Status}{(cluster.IsDefault == true ? " (default)" : string.Empty)}");

    var job = await client.CreateJobAsync(new JobInput { TeamName = team, Query = query, QueryName = "dotnet-example" }, StudioTrace.None, stop.Token);
    Console.WriteLine($"Created job {job.Id} ({job.Status}).");

    await connection.FollowJobLogAsync(team, job.Id!, line =>
    {
        Console.WriteLine("| " + line);
        return Task.CompletedTask;
    }, cancellationToken: stop.Token);

    // The stream's last word may lack fields: read the finished job once.
    var finished = await client.GetJobAsync(team, job.Id!, false, StudioTrace.None, stop.Token);
    Console.WriteLine($"Job {finished.Id} ended {finished.Status} with exit code {finished.ExitCode?.ToString() ?? "unknown"}.");
    return finished.Status == "COMPLETE" ? 0 : 1;
}
catch (StudioInputException error)
{
    Console.Error.WriteLine($"{error.ErrorId}: {error.Message}");
    return 1;
}
catch (StudioApiException error)
{
    Console.Error.WriteLine($"{error.ErrorId}: {error.Message}");
    return 1;
}
