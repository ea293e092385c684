namespace StudioPS.Core.Tests.Support;

/// <summary>A file stand-in that keeps what was written and the size of every write call.</summary>
internal sealed class RecordingWriteStream : MemoryStream
{
    public List<int> Writes { get; } = new List<int>();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Writes.Add(count);
        base.Write(buffer, offset, count);
    }
}
