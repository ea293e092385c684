using System.Linq;
using System.Management.Automation;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Commands;

/// <summary>Lists jobs, filtered by status, or reads jobs by id.</summary>
[Cmdlet(VerbsCommon.Get, "StudioJob", DefaultParameterSetName = ListSet)]
[OutputType(typeof(StudioJob))]
public sealed class GetStudioJobCommand : StudioCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Only jobs in these statuses (sent upper-cased; statuses the module does not know are sent too).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobStatusCompleter))]
    public string[]? Status { get; set; }

    /// <summary>At most this many jobs, newest first.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <summary>Adds each job's steps (newer servers).</summary>
    [Parameter]
    public SwitchParameter IncludeSteps { get; set; }

    /// <summary>With -Id: adds the dataset versions each job created (its DatasetVersions).</summary>
    [Parameter(ParameterSetName = IdSet)]
    public SwitchParameter IncludeDatasetVersions { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == IdSet)
        {
            foreach (var raw in Id!)
            {
                Execute(() =>
                {
                    var id = InputChecks.Id(raw, "Id", "job");
                    var team = RequireTeam();
                    var connection = CurrentConnection;
                    var job = Run(token => connection.Client.GetJobAsync(team, id, IncludeSteps, this, token));
                    if (IncludeDatasetVersions)
                    {
                        // Asked for explicitly: read whatever the job's status, and a failure is an error.
                        job.DatasetVersions = Run(token => connection.Client.GetJobDatasetVersionsAsync(team, id, this, token));
                    }
                    WriteObject(job);
                }, raw);
            }
            return;
        }
        Execute(() =>
        {
            var statuses = InputChecks.Statuses(Status);
            foreach (var warning in InputChecks.UnknownStatusWarnings(statuses, StudioJob.KnownStatuses, "job")) WriteWarning(warning);
            var team = RequireTeam();
            var connection = CurrentConnection;
            RunStream(token => connection.Client.ListJobsAsync(team, statuses, null, First, IncludeSteps, this, token), job => WriteObject(job));
        });
    }
}
