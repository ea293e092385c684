namespace StudioPS.Emulator.Control;

/// <summary>
/// A request body that resets the connection after a number of bytes, as a dropped network link
/// does halfway through an upload. The API sees an IOException while reading, like a real abort.
/// </summary>
public sealed class CutOffStream(Stream inner, long limit, HttpContext ctx) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException("A request body is read forward only.");
    public override long Position { get => _read; set => throw new NotSupportedException("A request body is read forward only."); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A request body is read forward only.");
    public override void SetLength(long value) => throw new NotSupportedException("A request body is read forward only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A request body is read forward only.");

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_read >= limit) Cut();
        var allowed = (int)Math.Min(buffer.Length, limit - _read);
        var n = await inner.ReadAsync(buffer[..allowed], cancellationToken);
        _read += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Cut()
    {
        ctx.Abort();
        throw new IOException($"The connection was reset after {limit} bytes of the request body (abort_after_bytes fault).");
    }
}
