using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;

namespace StudioPS.Commands;

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
    private readonly Func<Redactor> _redactor;
    private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
    private PipelineBridge? _bridge;
    private bool _verbose;
    private bool _debug;

    /// <param name="cmdlet">The cmdlet whose streams are written.</param>
    /// <param name="redactor">The redactor of its connection once known (traces are redacted by the client too; this also covers Core's own notes).</param>
    public CmdletRunner(PSCmdlet cmdlet, Func<Redactor>? redactor = null)
    {
        _cmdlet = cmdlet;
        _redactor = redactor ?? (() => Redactor.None);
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
    // Redacted and control characters escaped here too: a trace may quote a server.
    public void Verbose(string message) => OnPipeline(() => _cmdlet.WriteVerbose(SafeText.Clean(message, _redactor(), keepLineBreaks: true)));
    public void Debug(string message) => OnPipeline(() => _cmdlet.WriteDebug(SafeText.Clean(message, _redactor(), keepLineBreaks: true)));

    /// <summary>Runs an action on the pipeline thread: now when already there, else queued for the pump.</summary>
    public void OnPipeline(Action action)
    {
        var bridge = _bridge;
        if (bridge == null || bridge.OnPipelineThread) action();
        else bridge.Post(action);
    }

    /// <summary>
    /// Runs an action on the pipeline thread in one hand-over (a log frame's lines and notes), waiting
    /// while one such batch is already queued, so the reader stays at most two frames ahead.
    /// </summary>
    public Task OnPipelineAsync(Action action, CancellationToken cancellationToken)
    {
        var bridge = _bridge ?? throw new InvalidOperationException("OnPipelineAsync is only valid inside Run.");
        return bridge.PostBatchAsync(action, cancellationToken);
    }

    /// <summary>
    /// Runs async work while this (the pipeline) thread writes what it hands back.
    /// Ctrl+C returns at once with PipelineStoppedException; the work is cancelled with it.
    /// </summary>
    /// <remarks>
    /// On .NET the work starts on this thread and leaves it at its first real wait (the network);
    /// the thread that ends it wakes this one directly (PipelineBridge.PumpUntil). So a call costs
    /// at most one wake-up of this thread, as a plain <c>GetAwaiter().GetResult()</c> would, and no
    /// other thread-pool work item (the per-call figure in docs/PERFORMANCE.md). On .NET Framework
    /// it starts on the thread pool: HttpClientHandler may resolve a proxy synchronously there, and
    /// Ctrl+C must not wait for that.
    /// </remarks>
    public T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        using var bridge = new PipelineBridge(_stopping.Token);
        _bridge = bridge;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        Interlocked.Increment(ref _activeWork);
        var task = StartInline ? Tracked(work, linked.Token) : Task.Run(() => Tracked(work, linked.Token));
        try
        {
            bridge.PumpUntil(task);
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

    private static async Task<T> Tracked<T>(Func<CancellationToken, Task<T>> work, CancellationToken token)
    {
        try
        {
            token.ThrowIfCancellationRequested();
            return await work(token).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _activeWork);
        }
    }

    public void Run(Func<CancellationToken, Task> work) =>
        Run<bool>(async token => { await work(token).ConfigureAwait(false); return true; });

    /// <summary>
    /// Streams items from an async source to the pipeline as they arrive. This (the pipeline)
    /// thread pulls them: an item already parsed from the body is written at once, with no
    /// hand-over, and the thread sleeps only when the next item has to wait for the network,
    /// woken by the thread that reads it. A slow pipeline simply reads the body more slowly, so
    /// memory does not grow with the list; items read before a broken body are written before
    /// the error.
    /// </summary>
    public void RunStream<T>(Func<CancellationToken, IAsyncEnumerable<T>> source, Action<T> write)
    {
        using var bridge = new PipelineBridge(_stopping.Token);
        _bridge = bridge;
        var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        Interlocked.Increment(ref _activeWork);
        IAsyncEnumerator<T>? items = null;
        Task<bool>? pending = null;
        try
        {
            items = source(linked.Token).GetAsyncEnumerator(linked.Token);
            var first = true;
            while (true)
            {
                ValueTask<bool> next;
                if (first && !StartInline)
                {
                    // .NET Framework: the request goes out from the thread pool (see Run).
                    var start = items;
                    next = new ValueTask<bool>(Task.Run(() => start.MoveNextAsync().AsTask()));
                }
                else
                {
                    next = items.MoveNextAsync();
                }
                first = false;
                bool more;
                if (next.IsCompleted)
                {
                    more = next.GetAwaiter().GetResult();
                }
                else
                {
                    pending = next.AsTask();
                    bridge.PumpUntil(pending);
                    more = pending.GetAwaiter().GetResult();
                }
                pending = null;
                if (!more) break;
                write(items.Current);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            _bridge = null;
            EndStream(items, pending, linked);
        }
    }

    /// <summary>
    /// Ends a stream however RunStream left it: read to the end, failed, stopped mid-read (Ctrl+C)
    /// or abandoned between items (Select-Object -First). A read still in flight is cancelled and
    /// given a moment; the source is then disposed, which releases the response.
    /// </summary>
    private static void EndStream<T>(IAsyncEnumerator<T>? items, Task<bool>? pending, CancellationTokenSource linked)
    {
        if (items != null && pending != null && !pending.IsCompleted)
        {
            linked.Cancel();
            // The read honours its token; give it a moment so nothing keeps running after we return.
            if (!((IAsyncResult)pending).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
            {
                // An async source may not be disposed while a read is in flight: do it when the read ends.
                pending.ContinueWith(ended => { _ = ended.Exception; DisposeSource(items, linked); }, CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return;
            }
            _ = pending.Exception;   // observed: the cancellation it ended with is expected
        }
        DisposeSource(items, linked);
    }

    private static void DisposeSource<T>(IAsyncEnumerator<T>? items, CancellationTokenSource linked)
    {
        try
        {
            if (items != null)
            {
                var disposing = items.DisposeAsync();
                if (!disposing.IsCompleted) disposing.AsTask().Wait(TimeSpan.FromSeconds(1));
                else disposing.GetAwaiter().GetResult();
            }
        }
        finally
        {
            linked.Dispose();
            Interlocked.Decrement(ref _activeWork);
        }
    }

    public void Dispose() => _stopping.Dispose();
}
