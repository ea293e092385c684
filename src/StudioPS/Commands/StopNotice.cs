using System;
using System.Management.Automation;

namespace StudioPS.Commands;

/// <summary>
/// A warning for the moment Ctrl+C stops a wait while the job goes on in Studio. Once a pipeline is
/// stopping PowerShell refuses every Write* call (each throws PipelineStoppedException, from the
/// pipeline thread as from StopProcessing), so the host's own UI is the one place left to say it.
/// It is written from the pipeline thread, when the stop is observed, before the pipeline unwinds;
/// -WarningAction and $WarningPreference SilentlyContinue or Ignore keep it quiet.
/// </summary>
internal static class StopNotice
{
    public static void Write(PSCmdlet cmdlet, string message)
    {
        try
        {
            if (!WarningsWanted(cmdlet)) return;
            cmdlet.Host?.UI?.WriteWarningLine(SafeText.Clean(message, SafeText.RedactorOf(cmdlet)));
        }
        catch (Exception e) when (!(e is OutOfMemoryException))
        {
            // A host without a UI, or one that is closing: nothing more can be said.
        }
    }

    private static bool WarningsWanted(PSCmdlet cmdlet)
    {
        object? preference = null;
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WarningAction", out var bound)) preference = bound;
        else preference = cmdlet.GetVariableValue("WarningPreference");
        if (preference is PSObject wrapped) preference = wrapped.BaseObject;
        if (preference == null) return true;
        ActionPreference action;
        if (preference is ActionPreference direct) action = direct;
        else if (!Enum.TryParse(preference.ToString(), true, out action)) return true;
        return action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
    }
}
