using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Commands;

/// <summary>
/// Turns work that pushes items through an async callback (the log follower hands on each frame's
/// lines that way) into a stream the pipeline thread pulls with <see cref="CmdletRunner.RunStream{T}"/>.
/// The two sides take turns: the work runs until it pushes an item, then waits until the next item is
/// asked for, and asking resumes it on the asking thread. So while the network has data ready, reading,
/// parsing and writing all happen on the pipeline thread, one after the other, with no hand-over between
/// threads; a hand-over happens only when the work has to wait for the network. At most one item is
/// ever pushed and not yet written.
/// </summary>
internal sealed class PushedStream<T, TResult> : IAsyncEnumerable<T>, IAsyncEnumerator<T>
{
    private readonly Func<Func<T, Task>, CancellationToken, Task<TResult>> _work;
    private CancellationToken _cancellationToken;
    private Task<TResult>? _run;
    // Set by the work when it pushes an item or ends; awaited by the consumer. Continuations run inline.
    private TaskCompletionSource<bool> _itemReady = new TaskCompletionSource<bool>();
    // Set by the consumer when it asks for the next item; awaited by the work.
    private TaskCompletionSource<bool>? _resume;
    private T _current = default!;
    private int _disposed;

    public PushedStream(Func<Func<T, Task>, CancellationToken, Task<TResult>> work)
    {
        _work = work;
    }

    /// <summary>What the work returned, once the stream has ended.</summary>
    public TResult Result => _run != null && _run.Status == TaskStatus.RanToCompletion
        ? _run.Result
        : throw new InvalidOperationException("The stream has not ended.");

    public T Current => _current;

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (_run != null) throw new InvalidOperationException("A pushed stream is read once.");
        _cancellationToken = cancellationToken;
        return this;
    }

    public ValueTask<bool> MoveNextAsync()
    {
        var ready = new TaskCompletionSource<bool>();
        Volatile.Write(ref _itemReady, ready);
        if (_run == null)
        {
            // The work starts here, on this thread, and runs until it pushes an item or waits for the network.
            _run = _work(Push, _cancellationToken);
            _run.ContinueWith(Ended, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else
        {
            var resume = Interlocked.Exchange(ref _resume, null)
                ?? throw new InvalidOperationException("MoveNextAsync was called while the previous call had not ended.");
            // The work goes on inline, on this thread, until its next push or network wait. .NET runs a
            // continuation inline only where no SynchronizationContext is set (a host may have one).
            var context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                resume.TrySetResult(true);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        }
        return new ValueTask<bool>(ready.Task);
    }

    private Task Push(T item)
    {
        _current = item;
        var resume = new TaskCompletionSource<bool>();
        // Before the item is announced: the consumer may ask for the next one at once.
        Interlocked.Exchange(ref _resume, resume);
        // Disposed meanwhile (from another thread): the work is not left waiting for a request that never comes.
        if (Volatile.Read(ref _disposed) != 0) Interlocked.Exchange(ref _resume, null)?.TrySetCanceled();
        Volatile.Read(ref _itemReady).TrySetResult(true);
        return resume.Task;
    }

    private void Ended(Task<TResult> run)
    {
        var ready = Volatile.Read(ref _itemReady);
        if (run.IsFaulted) ready.TrySetException(run.Exception!.InnerExceptions);
        else if (run.IsCanceled) ready.TrySetCanceled();
        else ready.TrySetResult(false);
    }

    /// <summary>
    /// Ends the work if it still waits for the next request (the consumer stopped between items, as
    /// <c>Select-Object -First</c> does): it is resumed with a cancellation and given a moment to end.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        Interlocked.Exchange(ref _resume, null)?.TrySetCanceled();
        var run = _run;
        if (run == null || run.IsCompleted)
        {
            _ = run?.Exception;
            return default;
        }
        return new ValueTask(run.ContinueWith(ended => { _ = ended.Exception; }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
    }
}
