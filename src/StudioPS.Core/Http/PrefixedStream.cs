using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Client;
using StudioPS.Models;

namespace StudioPS.Http;

/// <summary>A read-only stream that yields a few already-read bytes before the rest of another stream.</summary>
internal sealed class PrefixedStream : ReadOnlyStream
{
    private readonly byte[] _prefix;
    private readonly Stream _inner;
    private int _position;

    public PrefixedStream(byte[] prefix, Stream inner)
    {
        _prefix = prefix;
        _inner = inner;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position < _prefix.Length) return CopyPrefix(buffer, offset, count);
        return _inner.Read(buffer, offset, count);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_position < _prefix.Length) return Task.FromResult(CopyPrefix(buffer, offset, count));
        return _inner.ReadAsync(buffer, offset, count, cancellationToken);
    }

    private int CopyPrefix(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(count, _prefix.Length - _position);
        Array.Copy(_prefix, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
