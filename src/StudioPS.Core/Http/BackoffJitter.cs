using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>How <see cref="Backoff"/> spreads waits so many clients do not retry in step.</summary>
internal enum BackoffJitter
{
    /// <summary>Anywhere between zero and the ceiling (REST retries).</summary>
    Full,

    /// <summary>The ceiling plus up to one base delay (the official client's reconnects).</summary>
    Additive,
}
