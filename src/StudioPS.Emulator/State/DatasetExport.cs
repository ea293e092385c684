namespace StudioPS.Emulator.State;

/// <summary>One export of a dataset version: Studio writes its parts one after another; each is served once written.</summary>
public sealed class DatasetExport
{
    public required int Id { get; init; }
    public required string Team { get; init; }
    public required StoredDataset Dataset { get; init; }
    public required StoredDatasetVersion Version { get; init; }
    public required DateTime StartedAt { get; init; }
    public required TimeSpan PartDelay { get; init; }
    /// <summary>The secret in every part URL of this export.</summary>
    public required string Signature { get; init; }

    public int NumFiles => Math.Max(1, Version.Parts);

    /// <summary>Parts written by now; an export that fails stops halfway.</summary>
    public int FilesDone(DateTime now)
    {
        int done = PartDelay <= TimeSpan.Zero ? NumFiles : (int)Math.Min(NumFiles, (now - StartedAt).Ticks / PartDelay.Ticks);
        return Version.ExportFails ? Math.Min(done, NumFiles / 2) : done;
    }

    public string Status(DateTime now, Func<bool> removed)
    {
        if (removed()) return "removed";
        int done = FilesDone(now);
        if (Version.ExportFails && (now - StartedAt) >= PartDelay * (NumFiles / 2 + 1)) return "failed";
        return done >= NumFiles ? "completed" : done == 0 ? "pending" : "running";
    }

    /// <summary>What part <paramref name="index"/>'s bytes are made from: the same for every export of the version.</summary>
    public ulong PartSeed(int index) => (ulong)(Dataset.Id * 7919L + Version.Id * 104729L + index + 1);

    /// <summary>The bytes part <paramref name="index"/> holds before compression.</summary>
    public long PartSize(int index)
    {
        long each = Version.Size / NumFiles;
        return index == NumFiles - 1 ? Version.Size - each * (NumFiles - 1) : each;
    }
}
