using StudioPS.Emulator.Auth;
using StudioPS.Emulator.Control;
using StudioPS.Emulator.Settings;
using StudioPS.Emulator.State;

namespace StudioPS.Emulator;

/// <summary>The emulator's shared state and services, created once per server (and per in-process test host).</summary>
public sealed class Emulator : IDisposable
{
    public Emulator(EmulatorConfig config)
    {
        Config = config;
        Options = new EmulatorOptions(config.Speed, config.PipelineTriggerForm);
        Auth = new Authenticator(config);
        Clusters = new ClusterCatalog(config.Clusters);
        OwnsDataDir = config.DataDir is null;
        if (OwnsDataDir) RemoveStaleDataDirs();
        // The pid in the name lets a later emulator delete this folder if this process is killed (SIGKILL
        // skips every cleanup).
        DataDir = config.DataDir
            ?? Path.Combine(Path.GetTempPath(), $"{DataDirPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(DataDir);
        Clock = new JobClock(Jobs, Options);
        Pipelines = new PipelineEngine(this);
        Datasets = new DatasetStore(this);
        Jobs.Completed = Datasets.OnJobComplete;
    }

    public EmulatorConfig Config { get; }
    public EmulatorOptions Options { get; }
    public Authenticator Auth { get; }
    public ClusterCatalog Clusters { get; }
    public FaultRegistry Faults { get; } = new();
    public WsFaults WsFaults { get; } = new();
    public RequestLog RequestLog { get; } = new();
    public JobStore Jobs { get; } = new();
    public JobClock Clock { get; }
    public PipelineEngine Pipelines { get; }
    public DeviceLogins DeviceLogins { get; } = new();
    public DatasetStore Datasets { get; }
    public string DataDir { get; }
    bool OwnsDataDir { get; }

    /// <summary>Base address clients use, known once Kestrel has bound its port (used in job urls).</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1";

    /// <summary>Back to the state right after start: same tokens, clusters and datasets from settings.</summary>
    public void Reset()
    {
        Faults.Clear();
        WsFaults.Current = null;
        RequestLog.Clear();
        Options.Reset();
        Clusters.Reset();
        // Pipelines first: a job finishing during the reset then finds its pipeline already forgotten.
        Pipelines.Reset();
        Jobs.Reset();
        DeviceLogins.Reset();
        Auth.Reset();
        Datasets.Reset();
    }

    const string DataDirPrefix = "studio-emulator-";

    static void RemoveStaleDataDirs()
    {
        try
        {
            foreach (string dir in Directory.EnumerateDirectories(Path.GetTempPath(), DataDirPrefix + "*"))
            {
                string[] parts = Path.GetFileName(dir)[DataDirPrefix.Length..].Split('-');
                if (parts.Length != 2 || !int.TryParse(parts[0], out int pid) || ProcessLiveness.IsAlive(pid)) continue;
                try { Directory.Delete(dir, recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        if (OwnsDataDir)
        {
            try { Directory.Delete(DataDir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
