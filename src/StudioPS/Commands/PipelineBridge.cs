using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Commands;

/// <summary>
/// Hands work done on other threads back to the pipeline thread, the only one allowed to
/// write to PowerShell's streams. The pipeline thread waits on one event (a short spin, then
/// sleep, as <c>Task.Wait</c> does) until an action is queued, the awaited task ends or the call
/// is stopped; the thread that ends the task sets the event itself, so waiting for one task costs
/// at most one wake-up. Batches of output are bounded (a slow consumer slows the reader, so memory
/// does not grow with a long stream); trace messages are not.
/// </summary>
internal sealed class PipelineBridge : IDisposable
{
    // A batch is a log frame's lines (up to a thousand): one waits here while this thread writes the one
    // before and the reader builds the next, so a fast log never piles up lines in memory.
    private const int BatchCapacity = 1;
    private readonly object _gate = new object();
    private readonly Queue<Action> _queue = new Queue<Action>();
    private readonly SemaphoreSlim _batchSlots = new SemaphoreSlim(BatchCapacity, BatchCapacity);
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _stoppingRegistration;
    private readonly Action _wake;
    // Spins a little, then sleeps: an answer within the spin costs no trip through the scheduler.
    private readonly ManualResetEventSlim _signal = new ManualResetEventSlim(false);
    private bool _closed;

    public PipelineBridge(CancellationToken stopping)
    {
        _wake = Wake;
        _stopping = stopping;
        _stoppingRegistration = stopping.Register(_wake);
    }

    public bool OnPipelineThread => Environment.CurrentManagedThreadId == _pipelineThread;

    /// <summary>Queues an action (a trace line, a progress record) without waiting.</summary>
    public void Post(Action action)
    {
        lock (_gate)
        {
            // After the call has returned (stopped), a late trace line is dropped.
            if (_closed) return;
            _queue.Enqueue(action);
        }
        _signal.Set();
    }

    /// <summary>
    /// Queues a batch's output (many objects in one action), waiting while one is already queued. The
    /// slot frees when this thread takes the batch up, not when it has written it: the reader then queues
    /// the next batch while this one is written, so this thread finds work waiting instead of sleeping
    /// until the reader has been scheduled again (on a busy machine, a wait of milliseconds per batch).
    /// </summary>
    public async Task PostBatchAsync(Action action, CancellationToken cancellationToken)
    {
        await _batchSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        Post(() =>
        {
            _batchSlots.Release();
            action();
        });
    }

    /// <summary>
    /// Runs queued actions on the calling (pipeline) thread until <paramref name="task"/> has
    /// ended and everything it queued has run. Throws OperationCanceledException when the call
    /// is stopped; the task is left running (the caller cancels it).
    /// </summary>
    public void PumpUntil(Task task)
    {
        // Runs on the thread that ends the task, right after it ends: no hop through the thread pool.
        if (!task.IsCompleted) task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_wake);
        while (true)
        {
            // Reset before looking (at the stop, the queue, the task): a Set after the look is not lost.
            _signal.Reset();
            _stopping.ThrowIfCancellationRequested();
            Action? next = null;
            lock (_gate)
            {
                if (_queue.Count > 0) next = _queue.Dequeue();
            }
            if (next != null)
            {
                next();
                continue;
            }
            // Anything the task queued was queued before it ended: an empty queue now is the end.
            if (task.IsCompleted) return;
            _signal.Wait();
        }
    }

    private void Wake() => _signal.Set();

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            _queue.Clear();
        }
        _stoppingRegistration.Dispose();
        _batchSlots.Dispose();
        // _signal is not disposed: the task may still end, and Set it, after the call has returned.
    }
}
