using System.Threading;

namespace StudioPS.Session;

/// <summary>
/// The default connection. It is process-wide on purpose: runspaces created by
/// ForEach-Object -Parallel and Start-ThreadJob see the connection the script made, and the
/// HttpClient underneath is safe to share. Replacing and reading it are atomic.
/// </summary>
internal static class StudioSession
{
    private static StudioConnection? _default;

    internal static StudioConnection? Default => Volatile.Read(ref _default);

    /// <summary>Makes <paramref name="connection"/> the default; closes the previous one unless the caller holds it.</summary>
    internal static void SetDefault(StudioConnection connection)
    {
        var previous = Interlocked.Exchange(ref _default, connection);
        if (previous != null && !ReferenceEquals(previous, connection) && !previous.OwnedByCaller) previous.Dispose();
    }

    /// <summary>Sets the default only if none exists yet (an implicit connection racing another thread keeps the first).</summary>
    internal static StudioConnection SetDefaultIfNone(StudioConnection connection)
    {
        var existing = Interlocked.CompareExchange(ref _default, connection, null);
        if (existing == null) return connection;
        connection.Dispose();
        return existing;
    }

    /// <summary>Forgets the default connection and closes it. Returns the one that was removed.</summary>
    internal static StudioConnection? Clear()
    {
        var previous = Interlocked.Exchange(ref _default, null);
        previous?.Dispose();
        return previous;
    }
}
