using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Commands
{
    /// <summary>
    /// The plumbing a cmdlet composes to call Studio: a cancellation token cancelled by Ctrl+C
    /// (<see cref="Stop"/>, from StopProcessing), async work run off the pipeline thread with its
    /// output and trace handed back to it, and the client's trace written as Verbose/Debug.
    /// </summary>
    internal sealed class CmdletRunner : IStudioTrace, IDisposable
    {
        private static int _activeWork;
        private static readonly bool StartInline =
            !System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        private readonly PSCmdlet _cmdlet;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelineBridge? _bridge;
        private bool _verbose;
        private bool _debug;

        public CmdletRunner(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        /// <summary>Background work started by cmdlets that has not finished yet: 0 once every call has ended (tests check it after Stop).</summary>
        public static int ActiveWork => Volatile.Read(ref _activeWork);

        /// <summary>Reads -Verbose/-Debug and the preference variables once, in BeginProcessing.</summary>
        public void Begin()
        {
            _verbose = IsStreamEnabled("Verbose", "VerbosePreference");
            _debug = IsStreamEnabled("Debug", "DebugPreference");
        }

        /// <summary>Ctrl+C: cancels the work in flight; <see cref="Run{T}"/> returns at once.</summary>
        public void Stop() => _stopping.Cancel();

        private bool IsStreamEnabled(string parameter, string preferenceVariable)
        {
            if (_cmdlet.MyInvocation.BoundParameters.TryGetValue(parameter, out var bound))
                return bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound);
            var preference = _cmdlet.GetVariableValue(preferenceVariable);
            if (preference is ActionPreference action)
                return action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
            return preference != null && Enum.TryParse(preference.ToString(), true, out ActionPreference parsed)
                && parsed != ActionPreference.SilentlyContinue && parsed != ActionPreference.Ignore;
        }

        // ---- IStudioTrace: the client's trace, written on the pipeline thread ----

        public bool VerboseEnabled => _verbose;
        public bool DebugEnabled => _debug;
        public void Verbose(string message) => OnPipeline(() => _cmdlet.WriteVerbose(message));
        public void Debug(string message) => OnPipeline(() => _cmdlet.WriteDebug(message));

        /// <summary>Runs an action on the pipeline thread: now when already there, else queued for the pump.</summary>
        public void OnPipeline(Action action)
        {
            var bridge = _bridge;
            if (bridge == null || bridge.OnPipelineThread) action();
            else bridge.Post(action);
        }

        /// <summary>Queues an object for output from a worker thread, waiting while the pipeline is behind.</summary>
        public Task EmitAsync(object item, CancellationToken cancellationToken)
        {
            var bridge = _bridge ?? throw new InvalidOperationException("EmitAsync is only valid inside Run.");
            return bridge.PostObjectAsync(() => _cmdlet.WriteObject(item), cancellationToken);
        }

        /// <summary>
        /// Runs async work while this (the pipeline) thread writes what it hands back.
        /// Ctrl+C returns at once with PipelineStoppedException; the work is cancelled with it.
        /// </summary>
        /// <remarks>
        /// On .NET the work starts on this thread and leaves it at its first real wait (the network),
        /// and it ends the pump itself: no thread-pool hop to start it and none to report its end, so
        /// a call costs one wake-up of this thread (the per-call figure in docs/PERFORMANCE.md). On
        /// .NET Framework it starts on the thread pool: HttpClientHandler may resolve a proxy
        /// synchronously there, and Ctrl+C must not wait for that.
        /// </remarks>
        public T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            using var bridge = new PipelineBridge();
            _bridge = bridge;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            Interlocked.Increment(ref _activeWork);
            var task = StartInline ? RunAndComplete(work, bridge, linked.Token)
                : Task.Run(() => RunAndComplete(work, bridge, linked.Token));
            try
            {
                bridge.Pump(_stopping.Token);
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                // Stopped by Ctrl+C or by the pipeline itself (Select-Object -First): end the work before leaving.
                if (!task.IsCompleted)
                {
                    linked.Cancel();
                    // The work honours its token; give it a moment so nothing keeps running after we return.
                    try { task.Wait(TimeSpan.FromSeconds(1)); } catch (AggregateException) { }
                }
                _bridge = null;
            }
        }

        private static async Task<T> RunAndComplete<T>(Func<CancellationToken, Task<T>> work, PipelineBridge bridge, CancellationToken token)
        {
            try
            {
                token.ThrowIfCancellationRequested();
                return await work(token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _activeWork);
                try { bridge.Complete(); }
                catch (ObjectDisposedException) { /* Run already returned (stopped); nothing waits on the bridge. */ }
            }
        }

        public void Run(Func<CancellationToken, Task> work) =>
            Run<bool>(async token => { await work(token).ConfigureAwait(false); return true; });

        /// <summary>
        /// Streams items from an async source to the pipeline as they arrive. Items that are ready
        /// together (parsed from the same read of the body) go to the pipeline thread as one batch,
        /// handed over as soon as the next item would have to wait for the network: the first item
        /// is never held back, and a long list costs one wake-up of the pipeline thread per batch
        /// rather than one per item.
        /// </summary>
        public void RunStream<T>(Func<CancellationToken, IAsyncEnumerable<T>> source, Action<T> write)
        {
            const int MaxBatch = 32;
            Run(async token =>
            {
                var bridge = _bridge!;
                var batch = new List<T>(MaxBatch);
                var items = source(token).GetAsyncEnumerator(token);
                try
                {
                    while (true)
                    {
                        var next = items.MoveNextAsync();
                        if (batch.Count > 0 && (!next.IsCompleted || batch.Count >= MaxBatch))
                        {
                            await PostBatchAsync(bridge, batch, write, token).ConfigureAwait(false);
                            batch = new List<T>(MaxBatch);
                        }
                        bool more;
                        try
                        {
                            more = await next.ConfigureAwait(false);
                        }
                        catch when (batch.Count > 0)
                        {
                            // The items read before a broken body still reach the pipeline, then the error.
                            await PostBatchAsync(bridge, batch, write, token).ConfigureAwait(false);
                            throw;
                        }
                        if (!more) break;
                        batch.Add(items.Current);
                    }
                    if (batch.Count > 0) await PostBatchAsync(bridge, batch, write, token).ConfigureAwait(false);
                }
                finally
                {
                    await items.DisposeAsync().ConfigureAwait(false);
                }
            });
        }

        private static Task PostBatchAsync<T>(PipelineBridge bridge, List<T> batch, Action<T> write, CancellationToken token) =>
            bridge.PostObjectAsync(() =>
            {
                foreach (var item in batch) write(item);
            }, token);

        public void Dispose() => _stopping.Dispose();
    }
}
