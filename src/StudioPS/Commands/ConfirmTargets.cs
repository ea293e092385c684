using System;
using System.Linq;
using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>
/// What a confirm prompt or -WhatIf names: what a person recognises (a job's name or query, a job
/// run's dataset and pipeline) rather than a bare uuid. The names cost one read, so they are looked
/// up only when a prompt or -WhatIf will actually show them.
/// </summary>
internal static class ConfirmTargets
{
    /// <summary>True when ShouldProcess will show its text: -WhatIf, -Confirm, or a $ConfirmPreference at or below the impact.</summary>
    public static bool WillShow(PSCmdlet cmdlet, ConfirmImpact impact)
    {
        var bound = cmdlet.MyInvocation.BoundParameters;
        if (bound.TryGetValue("WhatIf", out var whatIf)) { if (LanguagePrimitives.IsTrue(whatIf)) return true; }
        else if (LanguagePrimitives.IsTrue(cmdlet.GetVariableValue("WhatIfPreference"))) return true;
        if (bound.TryGetValue("Confirm", out var confirm)) return LanguagePrimitives.IsTrue(confirm);
        var preference = cmdlet.GetVariableValue("ConfirmPreference");
        if (preference is PSObject wrapped) preference = wrapped.BaseObject;
        ConfirmImpact threshold;
        if (preference is ConfirmImpact direct) threshold = direct;
        else if (preference == null || !Enum.TryParse(preference.ToString(), true, out threshold)) threshold = ConfirmImpact.High;
        return threshold != ConfirmImpact.None && impact >= threshold;
    }

    /// <summary>"job 'train.py' (RUNNING, id ...) in team 't'"; the query's first line when the job has no name.</summary>
    public static string Job(StudioJob job, string team)
    {
        var name = !string.IsNullOrWhiteSpace(job.Name) ? job.Name : FirstLine(job.Query);
        return $"job '{name}' ({job.Status}, id {job.Id}) in team '{team}'";
    }

    /// <summary>"job run for dataset '@a.b.c' (PENDING, id ...) of pipeline 'lanky-tapir' (from @a.b.d) in team 't'".</summary>
    public static string PipelineJobRun(StudioPipeline pipeline, string jobId, string team)
    {
        var run = pipeline.JobRuns?.FirstOrDefault(r =>
            string.Equals(r.JobId, jobId, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(r.CreatedJobId, jobId, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(r.Name, jobId, StringComparison.OrdinalIgnoreCase));
        var from = string.IsNullOrEmpty(pipeline.TriggeredFrom) ? string.Empty : $" (from {pipeline.TriggeredFrom})";
        var what = run == null
            ? $"job {jobId}, which pipeline '{pipeline.Name}' does not list,"
            : $"job run for dataset '{run.Name}' ({run.Status}, id {jobId})";
        return $"{what} of pipeline '{pipeline.Name}'{from} in team '{team}'";
    }

    private static string FirstLine(string? text)
    {
        var first = (text ?? string.Empty).Trim().Split('\n')[0].Trim();
        return first.Length <= 40 ? first : first.Substring(0, 40) + "...";
    }
}
