using StudioPS.Emulator.Control;

namespace StudioPS.Emulator.State;

/// <summary>
/// Drives a job through its life in (scaled) real time:
/// CREATED → QUEUED → INIT → RUNNING → what the query does → COMPLETE or FAILED.
/// A cancel moves it to CANCELING and, one step later, CANCELED. SCHEDULED jobs wait for start_after first.
/// </summary>
public sealed class JobClock(JobStore store, EmulatorOptions options)
{
    /// <summary>Set once the host's logging exists; clocks only log their own crashes.</summary>
    public ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Time between lifecycle steps at speed 1.</summary>
    public const double StepMs = 200;

    public void Start(Job job)
    {
        var generation = store.Current;
        var clock = CancellationTokenSource.CreateLinkedTokenSource(generation.Stop.Token);
        lock (job.Gate) job.Clock = clock;
        _ = Task.Run(() => RunAsync(job, generation.Stop.Token, clock));
    }

    async Task RunAsync(Job job, CancellationToken resetToken, CancellationTokenSource clock)
    {
        var ct = clock.Token;
        try
        {
            if (job.StartAfter is { } at && job.Status == JobStatus.Scheduled)
            {
                // start_after is a wall-clock time: the emulator's speed does not move it.
                // Task.Delay cannot wait more than ~49 days at once; far-future schedules wait in pieces.
                TimeSpan wait;
                while ((wait = at - DateTime.UtcNow) > TimeSpan.Zero)
                    await Task.Delay(wait < TimeSpan.FromDays(1) ? wait : TimeSpan.FromDays(1), ct);
                job.SetStatus(JobStatus.Created);
            }
            await Step(ct);
            job.SetStatus(JobStatus.Queued);
            await Step(ct);
            job.SetStatus(JobStatus.Init);
            await Step(ct);
            job.SetStatus(JobStatus.Running);
            var outcome = await QueryScript.Parse(job.Query).RunAsync(job, options, ct);
            ct.ThrowIfCancellationRequested();
            if (outcome.ExitCode == 0)
            {
                if (job.SetStatus(JobStatus.Complete, 0)) store.Completed?.Invoke(job);
            }
            else job.SetStatus(JobStatus.Failed, outcome.ExitCode, outcome.Error);
        }
        catch (OperationCanceledException) when (resetToken.IsCancellationRequested)
        {
            // The emulator was reset: this job no longer exists for anyone.
        }
        catch (OperationCanceledException)
        {
            await FinishCancelAsync(job, resetToken);
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Job {Id} clock failed", job.Id);
            job.SetStatus(JobStatus.Failed, 1, "Emulator error: " + e.Message);
        }
        finally
        {
            clock.Dispose();
        }
    }

    async Task FinishCancelAsync(Job job, CancellationToken resetToken)
    {
        try
        {
            await Step(resetToken);
            job.SetStatus(JobStatus.Canceled);
        }
        catch (OperationCanceledException)
        {
        }
    }

    Task Step(CancellationToken ct) => Task.Delay(options.Scale(StepMs), ct);

    /// <summary>
    /// Requests cancellation. Returns null on success or the reason it cannot be canceled.
    /// </summary>
    public string? Cancel(Job job)
    {
        CancellationTokenSource? clock;
        lock (job.Gate)
        {
            if (job.Status is JobStatus.Complete or JobStatus.Failed or JobStatus.Canceled)
                return $"Job is already finished with status {job.Status}";
            if (job.Status == JobStatus.Canceling) return null;
            clock = job.Clock;
        }
        job.SetStatus(JobStatus.Canceling);
        if (clock is null)
        {
            // TASK templates and seeded jobs have no clock to stop: they are canceled at once.
            job.SetStatus(JobStatus.Canceled);
            return null;
        }
        try { clock.Cancel(); }
        catch (ObjectDisposedException) { }
        return null;
    }
}
