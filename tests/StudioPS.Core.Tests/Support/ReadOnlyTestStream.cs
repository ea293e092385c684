namespace StudioPS.Core.Tests.Support;

/// <summary>
/// The base of the tests' scripted bodies: a stream that is only read, forward. A body says what its reads
/// do (<see cref="Stream.Read(byte[], int, int)"/>, and ReadAsync where it matters); everything else a
/// response body does not do throws, so a test notices when the code under test tries it.
/// </summary>
public abstract class ReadOnlyTestStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
