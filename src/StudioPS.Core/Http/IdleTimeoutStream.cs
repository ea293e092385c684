using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>
/// Wraps a response body so that a read that waits longer than the idle time-out fails with a
/// <see cref="TimeoutException"/> (reported as an IOException to the JSON reader) instead of hanging.
/// </summary>
internal sealed class IdleTimeoutStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly TimeSpan _idle;

    public IdleTimeoutStream(Stream inner, TimeSpan idle)
    {
        _inner = inner;
        _idle = idle;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_idle == Timeout.InfiniteTimeSpan) return await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(_idle);
        try
        {
            return await _inner.ReadAsync(buffer, offset, count, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException(string.Format(CultureInfo.InvariantCulture,
                "The response body stalled for more than {0:0.###} s.", _idle.TotalSeconds), new TimeoutException());
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
