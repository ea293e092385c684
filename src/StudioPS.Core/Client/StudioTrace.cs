namespace StudioPS.Client;

/// <summary>Ready-made traces for callers of <see cref="StudioClient"/>.</summary>
public static class StudioTrace
{
    /// <summary>No trace at all.</summary>
    public static IStudioTrace None => NullTrace.Instance;
}
