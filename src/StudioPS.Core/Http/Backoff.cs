using System;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>
/// The one exponential backoff with jitter that every wait-and-try-again in StudioPS uses: the REST
/// retry handler (full jitter) and the log follower's reconnects (the official client's 1, 2, 4 ... s
/// plus up to one base delay of jitter). Pure: the random source is injected, so tests fix it.
/// </summary>
internal sealed class Backoff
{
    private static readonly object RandomLock = new object();
    private static readonly Random SharedRandom = new Random();
    private readonly Func<double> _random;

    public Backoff(TimeSpan baseDelay, TimeSpan maxDelay, BackoffJitter jitter, Func<double>? random = null)
    {
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
        Jitter = jitter;
        _random = random ?? NextShared;
    }

    public TimeSpan BaseDelay { get; }
    public TimeSpan MaxDelay { get; }
    public BackoffJitter Jitter { get; }

    /// <summary>A process-wide random number in [0, 1), safe from any thread.</summary>
    public static double NextShared()
    {
        lock (RandomLock) return SharedRandom.NextDouble();
    }

    /// <summary>
    /// The wait before try number <paramref name="attempt"/> + 1 (attempt 0 = the first retry): a
    /// ceiling of base * 2^attempt capped at the maximum, then jitter.
    /// </summary>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Min(Math.Max(attempt, 0), 30);
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var random = _random();
        return TimeSpan.FromMilliseconds(Jitter == BackoffJitter.Full
            ? random * ceiling
            : ceiling + random * BaseDelay.TotalMilliseconds);
    }
}
