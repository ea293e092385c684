using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;

namespace StudioPS.Http;

/// <summary>
/// A response body read with plain blocking reads on a thread of its own (as curl reads), for long downloads
/// where the per-read cost of async reads (a state machine, a timer, a thread-pool hop each) is measurable. A
/// blocking read cannot take a cancellation token, so the body is closed instead: when the token is cancelled
/// (Ctrl+C, or another part that failed) and when one read has waited longer than the idle time-out (a watchdog
/// checks a few times per time-out; time spent between reads, writing what was read, does not count). Closing the response ends a read that is waiting at once; that read then fails with
/// <see cref="OperationCanceledException"/> or with the same stall <see cref="IOException"/> as
/// <see cref="IdleTimeoutStream"/>.
/// </summary>
internal sealed class WatchedBody : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly IDisposable _owner;
    private readonly TimeSpan _idle;
    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenRegistration _registration;
    private readonly Timer? _watchdog;
    // Stopwatch ticks; a test's own clock in tests.
    private readonly Func<long> _clock;
    // When the read under way began (Stopwatch ticks); 0 between reads.
    private long _readSince;
    private volatile bool _stalled;
    private int _closed;

    /// <param name="inner">The response's content stream.</param>
    /// <param name="owner">What to close to end a waiting read: the response (which closes its connection).</param>
    /// <param name="idle">The most time allowed between two bytes; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="cancellationToken">Closes the body when cancelled.</param>
    public WatchedBody(Stream inner, IDisposable owner, TimeSpan idle, CancellationToken cancellationToken)
        : this(inner, owner, idle, cancellationToken, Stopwatch.GetTimestamp)
    {
    }

    internal WatchedBody(Stream inner, IDisposable owner, TimeSpan idle, CancellationToken cancellationToken, Func<long> clock)
    {
        _clock = clock;
        _inner = inner;
        _owner = owner;
        _idle = idle;
        _cancellationToken = cancellationToken;
        if (idle != Timeout.InfiniteTimeSpan)
        {
            // Checked four times per time-out: a read is ended between 1 and 1.25 time-outs after it began. At least
            // once an hour: a Timer waits 49.7 days at most, and a time-out of a year (Core takes any TimeoutSec) must not throw.
            var period = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, Math.Max(TimeSpan.FromMilliseconds(10).Ticks, idle.Ticks / 4)));
            _watchdog = new Timer(_ => Check(), null, period, period);
        }
        _registration = cancellationToken.Register(CloseUnderReader);
    }

    [MethodImpl(HotPath.Optimized)]
    public override int Read(byte[] buffer, int offset, int count)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (_stalled) throw Stall();
        int read;
        Volatile.Write(ref _readSince, _clock());
        try
        {
            read = _inner.Read(buffer, offset, count);
        }
        catch (Exception) when (_cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(_cancellationToken);
        }
        catch (Exception) when (_stalled)
        {
            throw Stall();
        }
        finally
        {
            Volatile.Write(ref _readSince, 0);
        }
        // A read that returned because the body was closed under it (some streams end instead of failing).
        _cancellationToken.ThrowIfCancellationRequested();
        if (_stalled) throw Stall();
        return read;
    }

    /// <summary>The watchdog's round: ends the read under way if it began more than the idle time-out ago.</summary>
    internal void Check()
    {
        // The clock first, then the read's start: read the other way round, a watchdog delayed between the two (a
        // loaded machine) measured a read that had ended and been followed by another against a later clock, and
        // closed the new read as a stall. This way the read measured was under way at `now` or began after it.
        var now = _clock();
        var since = Volatile.Read(ref _readSince);
        if (since == 0 || now - since < _idle.TotalSeconds * Stopwatch.Frequency) return;
        _stalled = true;
        CloseUnderReader();
    }

    private void CloseUnderReader()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        try { _owner.Dispose(); } catch (Exception) { }
        try { _inner.Dispose(); } catch (Exception) { }
    }

    // The stall is the cause (what a closed connection made the read throw is not): the message names it at every level.
    private IOException Stall()
    {
        var message = string.Format(CultureInfo.InvariantCulture, "The response body stalled for more than {0:0.###} s.", _idle.TotalSeconds);
        return new IOException(message, new TimeoutException(message));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _watchdog?.Dispose();
            _registration.Dispose();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
