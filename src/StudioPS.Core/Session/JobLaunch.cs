using System;
using System.Collections.Generic;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Session;

/// <summary>What New-StudioJob asks of <see cref="JobLauncher"/>: the job, files to upload first, and whether to wait.</summary>
internal sealed class JobLaunch
{
    public JobLaunch(JobInput input)
    {
        Input = input;
    }

    public JobInput Input { get; }

    /// <summary>Local files (already checked) uploaded before the job is created; their ids join <see cref="JobInput.Files"/>.</summary>
    public IReadOnlyList<string> Uploads { get; set; } = Array.Empty<string>();

    /// <summary>Wait for the job to end (unless it is scheduled for later).</summary>
    public bool Wait { get; set; }

    /// <summary>With <see cref="Wait"/>: poll the status instead of following the log.</summary>
    public bool NoLog { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The schedule the job was given, which decides whether waiting makes sense.</summary>
    public DateTimeOffset? StartAfter { get; set; }

    public string? Cron { get; set; }
}
