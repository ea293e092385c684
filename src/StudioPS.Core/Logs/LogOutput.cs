using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using StudioPS.Models;

namespace StudioPS.Logs;

/// <summary>
/// Where a follow's output goes, whatever brought it (socket, archive, REST): raw chunks untouched, or
/// lines assembled across chunks, messages and reconnects; status changes once each; warnings. Events
/// are handed on in batches (one per frame, or per <see cref="MaxBatch"/> events), so a consumer on
/// another thread is woken once per frame, not once per line.
/// </summary>
internal sealed class LogOutput
{
    public const int MaxBatch = 1024;
    private readonly bool _raw;
    private readonly Func<IReadOnlyList<LogEvent>, Task> _emit;
    private readonly LineAssembler _assembler = new LineAssembler();
    private readonly List<string> _lines = new List<string>();
    private List<LogEvent> _pending = new List<LogEvent>();
    private string? _lastStatus;

    public LogOutput(bool raw, Func<IReadOnlyList<LogEvent>, Task> emit)
    {
        _raw = raw;
        _emit = emit;
    }

    /// <summary>Lines or chunks written so far; figures and tests read it.</summary>
    public long Written { get; private set; }

    public Task WriteAsync(string chunk)
    {
        if (string.IsNullOrEmpty(chunk)) return Task.CompletedTask;
        if (_raw) return AddAsync(new LogEvent { Kind = LogEventKind.Chunk, Message = chunk });
        _assembler.Push(chunk, _lines);
        foreach (var line in _lines) _pending.Add(new LogEvent { Kind = LogEventKind.Line, Message = line });
        Written += _lines.Count;
        _lines.Clear();
        return _pending.Count >= MaxBatch ? FlushAsync() : Task.CompletedTask;
    }

    /// <summary>The output has ended: a last line without a line break is emitted now.</summary>
    public async Task EndAsync()
    {
        var last = _raw ? null : _assembler.Flush();
        if (last != null) _pending.Add(new LogEvent { Kind = LogEventKind.Line, Message = last });
        await FlushAsync().ConfigureAwait(false);
    }

    public Task StatusAsync(StudioJob job)
    {
        if (string.Equals(job.Status, _lastStatus, StringComparison.Ordinal)) return Task.CompletedTask;
        _lastStatus = job.Status;
        return AddAsync(new LogEvent { Kind = LogEventKind.Status, Job = job });
    }

    public Task WarnAsync(string message) => AddAsync(new LogEvent { Kind = LogEventKind.Warning, Message = message });

    /// <summary>Hands on what is pending.</summary>
    public Task FlushAsync()
    {
        if (_pending.Count == 0) return Task.CompletedTask;
        var batch = _pending;
        // The next batch starts with this one's room: a replayed history's batches of MaxBatch lines are
        // allocated once each instead of growing from 4 by doubling.
        _pending = new List<LogEvent>(Math.Min(MaxBatch, batch.Count));
        return _emit(batch);
    }

    private Task AddAsync(LogEvent e)
    {
        if (e.Kind == LogEventKind.Chunk) Written++;
        _pending.Add(e);
        return _pending.Count >= MaxBatch ? FlushAsync() : Task.CompletedTask;
    }
}
