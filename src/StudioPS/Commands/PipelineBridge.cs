using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace StudioPS.Commands
{
    /// <summary>
    /// Hands work done on other threads back to the pipeline thread, the only one allowed to
    /// write to PowerShell's streams. Objects are bounded (a slow consumer slows the reader, so
    /// memory does not grow with a long list); trace messages are not.
    /// </summary>
    internal sealed class PipelineBridge : IDisposable
    {
        private const int ObjectCapacity = 256;
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>(new ConcurrentQueue<Action>());
        private readonly SemaphoreSlim _slots = new SemaphoreSlim(ObjectCapacity, ObjectCapacity);
        private readonly int _pipelineThread = Environment.CurrentManagedThreadId;

        public bool OnPipelineThread => Environment.CurrentManagedThreadId == _pipelineThread;

        /// <summary>Queues an action (a trace line, a progress record) without waiting.</summary>
        public void Post(Action action)
        {
            try
            {
                _queue.Add(action);
            }
            catch (InvalidOperationException)
            {
                // The pump has finished (the call was cancelled); a late trace line is dropped.
            }
        }

        /// <summary>Queues an object's output, waiting while too many are already queued.</summary>
        public async Task PostObjectAsync(Action action, CancellationToken cancellationToken)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            Post(() =>
            {
                try { action(); }
                finally { _slots.Release(); }
            });
        }

        public void Complete() => _queue.CompleteAdding();

        /// <summary>Runs queued actions on the calling (pipeline) thread until the work completes or the call is stopped.</summary>
        public void Pump(CancellationToken cancellationToken)
        {
            foreach (var action in _queue.GetConsumingEnumerable(cancellationToken)) action();
        }

        public void Dispose()
        {
            _queue.Dispose();
            _slots.Dispose();
        }
    }
}
