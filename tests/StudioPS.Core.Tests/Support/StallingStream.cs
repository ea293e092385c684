using StudioPS.Http;

namespace StudioPS.Core.Tests.Support;

/// <summary>
/// A body that sends <c>head</c>, then stalls until <see cref="Release"/> (or the reader's cancellation), then sends the rest.
/// A blocking read that waits in the stall ends when the stream is disposed (as a socket's does when its response is closed).
/// </summary>
internal sealed class StallingStream : ReadOnlyStream
{
    private readonly byte[] _bytes;
    private readonly int _head;
    private readonly TaskCompletionSource<bool> _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _go = new(false);
    private volatile bool _disposed;
    private int _at;

    public StallingStream(byte[] bytes, int head)
    {
        if (head >= bytes.Length) throw new ArgumentOutOfRangeException(nameof(head), "The stall must come before the end of the body.");
        _bytes = bytes;
        _head = head;
    }

    public TaskCompletionSource<bool> Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public void Release()
    {
        _released.TrySetResult(true);
        _go.Set();
    }

    /// <summary>Reads made on a thread-pool thread (a part's blocking reads run on a thread of their own).</summary>
    public int PoolThreadReads { get; private set; }

    /// <summary>Blocking reads made (<see cref="Read"/>, not <see cref="ReadAsync(byte[], int, int, CancellationToken)"/>).</summary>
    public int BlockingReads { get; private set; }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_at == _head)
        {
            Stalled.TrySetResult(true);
            await _released.Task.WaitAsync(cancellationToken);
        }
        var end = _at < _head ? _head : _bytes.Length;
        var n = Math.Min(count, end - _at);
        Array.Copy(_bytes, _at, buffer, offset, n);
        _at += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        BlockingReads++;
        if (Thread.CurrentThread.IsThreadPoolThread) PoolThreadReads++;
        if (_at == _head)
        {
            Stalled.TrySetResult(true);
            _go.Wait();
        }
        if (_disposed) throw new ObjectDisposedException(nameof(StallingStream));
        var end = _at < _head ? _head : _bytes.Length;
        var n = Math.Min(count, end - _at);
        Array.Copy(_bytes, _at, buffer, offset, n);
        _at += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _go.Set();
        base.Dispose(disposing);
    }
}
