using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;

namespace StudioPS.Client;

/// <summary>
/// A multipart/form-data body with one field <c>file</c>, read from disk as it is sent:
/// memory stays flat whatever the file's size, and its length is known up front.
/// </summary>
internal sealed class FileUploadContent : HttpContent
{
    private const int ChunkSize = 256 * 1024;
    private readonly string _path;
    private readonly IProgress<long>? _progress;
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private readonly long _fileLength;

    public FileUploadContent(string path, string fileName, IProgress<long>? progress)
    {
        _path = path;
        _progress = progress;
        _fileLength = new FileInfo(path).Length;
        var boundary = "----StudioPS" + Guid.NewGuid().ToString("N");
        var safeName = fileName.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", string.Empty).Replace("\n", string.Empty);
        _head = Encoding.UTF8.GetBytes(
            "--" + boundary + "\r\n" +
            "Content-Disposition: form-data; name=\"file\"; filename=\"" + safeName + "\"\r\n" +
            "Content-Type: application/octet-stream\r\n\r\n");
        _tail = Encoding.UTF8.GetBytes("\r\n--" + boundary + "--\r\n");
        Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=" + boundary);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(_head, 0, _head.Length).ConfigureAwait(false);
        var buffer = new byte[ChunkSize];
        long sent = 0;
        // The file is opened per send, so a send the retry rules allow starts from the first byte again.
        using (var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            int read;
            while ((read = await file.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
            {
                await stream.WriteAsync(buffer, 0, read).ConfigureAwait(false);
                sent += read;
                _progress?.Report(sent);
            }
        }
        if (sent != _fileLength)
            throw new IOException($"'{_path}' changed size while it was being sent ({_fileLength} bytes expected, {sent} read).");
        await stream.WriteAsync(_tail, 0, _tail.Length).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _head.Length + _fileLength + _tail.Length;
        return true;
    }
}
