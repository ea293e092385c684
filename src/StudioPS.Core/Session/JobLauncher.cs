using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Logs;
using StudioPS.Models;
using StudioPS.Waiting;

namespace StudioPS.Session;

/// <summary>
/// New-StudioJob's work: uploads the local files, creates the job, and with a wait either follows
/// its log or polls its status until it ends, then reads the finished job once (the log stream's
/// last word may lack fields). A job scheduled for later is not waited for.
/// </summary>
internal sealed class JobLauncher
{
    private readonly StudioConnection _connection;
    private readonly IStudioTrace _trace;

    public JobLauncher(StudioConnection connection, IStudioTrace trace)
    {
        _connection = connection;
        _trace = trace;
    }

    public async Task<JobLaunchResult> LaunchAsync(JobLaunch launch, IJobLaunchObserver observer, CancellationToken cancellationToken)
    {
        var client = _connection.Client;
        var input = launch.Input;
        var team = input.TeamName;
        foreach (var path in launch.Uploads)
        {
            StudioFile? file = null;
            try
            {
                var progress = observer.UploadStarted(path, new FileInfo(path).Length);
                file = await client.UploadFileAsync(team, path, progress, _trace, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                observer.UploadEnded(path, file);
            }
            (input.Files ??= new List<string>()).Add(file.Id!);
        }

        var job = await client.CreateJobAsync(input, _trace, cancellationToken).ConfigureAwait(false);
        if (_trace.VerboseEnabled) _trace.Verbose($"Created job {job.Id} ({job.Status}) {job.Url}");
        observer.Created(job);
        if (!launch.Wait) return new JobLaunchResult(job, false, null);

        var scheduled = Outcomes.Scheduled(job, launch.StartAfter, launch.Cron, DateTimeOffset.UtcNow);
        if (scheduled != null) return new JobLaunchResult(job, false, scheduled);

        if (launch.NoLog)
        {
            var waiter = new JobWaiter(client, team, _trace);
            var finished = job;
            await foreach (var e in waiter.WatchAsync(new[] { job.Id! }, launch.PollInterval, null, cancellationToken).ConfigureAwait(false))
            {
                if (e.Kind == JobWaitEventKind.Round) observer.WaitRound(e.Jobs, e.Elapsed);
                else if (e.Kind == JobWaitEventKind.Finished) finished = e.Job!;
            }
            return new JobLaunchResult(finished, true, null);
        }

        var follower = new LogFollower(client, _connection.LogSockets, team, job.Id!, _trace);
        await follower.RunBatchedAsync(batch => observer.LogEventsAsync(batch, cancellationToken), cancellationToken).ConfigureAwait(false);
        var final = await client.GetJobAsync(team, job.Id!, false, _trace, cancellationToken).ConfigureAwait(false);
        return new JobLaunchResult(final, true, null);
    }
}
