namespace StudioPS.Client;

/// <summary>A trace that drops everything.</summary>
internal sealed class NullTrace : IStudioTrace
{
    public static NullTrace Instance { get; } = new NullTrace();
    public bool VerboseEnabled => false;
    public bool DebugEnabled => false;
    public void Verbose(string message) { }
    public void Debug(string message) { }
}
