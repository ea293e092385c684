using System.Management.Automation;

namespace StudioPS.Commands;

/// <summary>Writes one activity's progress records from any thread (they reach the pipeline thread), and its completion.</summary>
internal sealed class ProgressWriter
{
    private readonly StudioCmdlet _cmdlet;
    private readonly string _doneActivity;

    public ProgressWriter(StudioCmdlet cmdlet, int activityId, string doneActivity)
    {
        _cmdlet = cmdlet;
        ActivityId = activityId;
        _doneActivity = doneActivity;
    }

    public int ActivityId { get; }

    /// <summary>Writes the record; its texts (job and pipeline names and statuses from a server) pass SafeText in the cmdlet's WriteProgress.</summary>
    public void Write(ProgressRecord record) => _cmdlet.Runner.OnPipeline(() => _cmdlet.WriteProgress(record));

    public void Complete() =>
        Write(new ProgressRecord(ActivityId, _doneActivity, "Done") { RecordType = ProgressRecordType.Completed });
}
