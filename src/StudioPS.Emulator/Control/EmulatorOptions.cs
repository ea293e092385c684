namespace StudioPS.Emulator.Control;

/// <summary>
/// Switches a test flips at run time through POST /_emulator/options to imitate older or different servers.
/// Plain volatile fields: each is read once per request and a torn combination is harmless.
/// </summary>
public sealed class EmulatorOptions(double defaultSpeed, string defaultTriggerForm = "any")
{
    public static readonly string[] LogArchiveModes = ["none", "own", "other"];
    public static readonly string[] ActionReplies = ["message", "empty_object", "empty", "text"];
    public static readonly string[] TriggerForms = ["any", "document", "official"];

    volatile string _logArchive = "none";
    volatile string _actionReply = "message";
    volatile string _triggerForm = defaultTriggerForm;
    public string DefaultTriggerForm { get; } = defaultTriggerForm;
    volatile bool _wrapLists;
    volatile bool _partialCreateResponse;
    volatile bool _logsWebsocket = true;
    double _speed = defaultSpeed;

    /// <summary>Lists come back wrapped ({"jobs":[...]}) like older servers.</summary>
    public bool WrapLists { get => _wrapLists; set => _wrapLists = value; }
    /// <summary>POST jobs/ returns only {id,url,workers,python_version} like some servers.</summary>
    public bool PartialCreateResponse { get => _partialCreateResponse; set => _partialCreateResponse = value; }
    /// <summary>False makes /api/logs/follow/ answer 404 so clients must poll over REST.</summary>
    public bool LogsWebsocket { get => _logsWebsocket; set => _logsWebsocket = value; }
    /// <summary>
    /// Where the log stream sends older output: "none" (all as logs frames), "own" (a log_blobs URL on the
    /// emulator's own origin, token required) or "other" (a presigned-style URL on another host name, localhost).
    /// </summary>
    public string LogArchive { get => _logArchive; set => _logArchive = value; }
    /// <summary>What cancel, pause and resume answer on success: "message" (JSON), "empty_object" ({}), "empty", "text".</summary>
    public string ActionReply { get => _actionReply; set => _actionReply = value; }
    /// <summary>Which pipeline trigger body is accepted: "any", "document" only, or "official" ({"datasets": [...]}) only.</summary>
    public string PipelineTriggerForm { get => _triggerForm; set => _triggerForm = value; }
    /// <summary>Pace multiplier of job and pipeline clocks.</summary>
    public double Speed { get => Volatile.Read(ref _speed); set => Volatile.Write(ref _speed, value); }

    public double DefaultSpeed { get; } = defaultSpeed;

    /// <summary>Scales a duration of the emulated world to real time at the current speed.</summary>
    public TimeSpan Scale(double milliseconds) => TimeSpan.FromMilliseconds(Math.Max(0, milliseconds / Speed));

    public void Reset()
    {
        WrapLists = false;
        PartialCreateResponse = false;
        LogsWebsocket = true;
        LogArchive = "none";
        ActionReply = "message";
        PipelineTriggerForm = DefaultTriggerForm;
        Speed = DefaultSpeed;
    }
}
