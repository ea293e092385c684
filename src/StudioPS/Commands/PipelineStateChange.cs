using System;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>
/// What Suspend-StudioPipeline and Resume-StudioPipeline share: check the pipeline's name or id and the
/// team, ask ShouldProcess, make the one call, say what Studio answered, and with -PassThru read the
/// pipeline afresh (the reply may be {}, empty or text).
/// </summary>
internal static class PipelineStateChange
{
    /// <param name="action">The verb for ShouldProcess and -Verbose: Pause or Resume.</param>
    /// <param name="call">The client call: pause or resume.</param>
    public static void Run(StudioCmdlet cmdlet, string action, string? name, string? id, bool passThru,
        Func<StudioClient, PipelineInput, IStudioTrace, CancellationToken, Task<StudioPipeline?>> call)
    {
        (name, id) = InputChecks.PipelineSelector(name, id);
        var team = cmdlet.RequireTeam();
        if (!cmdlet.ShouldProcess($"pipeline {name ?? id} in team '{team}'", action)) return;
        var connection = cmdlet.CurrentConnection;
        var input = new PipelineInput { TeamName = team, Name = name, PipelineId = id };
        var pipeline = cmdlet.Run(token => call(connection.Client, input, cmdlet, token));
        cmdlet.WriteVerbose(pipeline == null
            ? $"{action}: Studio accepted it for pipeline {name ?? id}."
            : $"{action}: pipeline {pipeline.Name ?? name ?? id} is {pipeline.Status}.");
        if (passThru) cmdlet.WriteObject(cmdlet.Run(token => connection.Client.GetPipelineAsync(team, name, id, cmdlet, token)));
    }
}
