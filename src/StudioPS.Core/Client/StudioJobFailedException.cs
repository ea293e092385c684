using System;
using StudioPS.Models;

namespace StudioPS.Client;

/// <summary>A job that ended FAILED or CANCELED; it carries the job (the module puts it inside the JobFailed / JobCanceled error).</summary>
public sealed class StudioJobFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="job"/>.</summary>
    public StudioJobFailedException(string message, StudioJob job) : base(message)
    {
        Job = job ?? throw new ArgumentNullException(nameof(job));
    }

    /// <summary>The job as it ended.</summary>
    public StudioJob Job { get; }

    /// <summary>The job's exit code, when Studio reported one.</summary>
    public int? ExitCode => Job.ExitCode;

    /// <summary>True when the job was CANCELED rather than FAILED.</summary>
    public bool Canceled => string.Equals(Job.Status, "CANCELED", StringComparison.OrdinalIgnoreCase);
}
