using System;
using System.IO;
using StudioPS.Client;

namespace StudioPS.Http;

/// <summary>The members every forward-only, read-only wrapper of a response body shares.</summary>
internal abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException("A response body is read forward only.");
    public override long Position { get => throw new NotSupportedException("A response body is read forward only."); set => throw new NotSupportedException("A response body is read forward only."); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A response body is read forward only.");
    public override void SetLength(long value) => throw new NotSupportedException("A response body is read forward only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A response body is read forward only.");
}
