using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using StudioPS.Input;

namespace StudioPS.Session;

/// <summary>
/// Reads one datachain config file safely: a regular file only (a FIFO or socket at that path is
/// refused at once instead of blocking), at most <see cref="MaxBytes"/>, strict UTF-8. Every
/// fault is a <see cref="StudioInputException"/> naming the file (and the line where there is one).
/// </summary>
internal static class ConfigFileText
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The file's text, or null when there is no file at that path.</summary>
    public static string? Read(string path)
    {
        if (Directory.Exists(path))
            throw Fault(path, "is a folder, not a file. Remove it or rename it.");
        if (!File.Exists(path)) return null;
        byte[] bytes;
        try
        {
            using var stream = Open(path);
            if (!stream.CanSeek)
                throw Fault(path, "is not a regular file (a FIFO, socket or device?). Replace it with a text file or remove it.");
            bytes = ReadCapped(stream, path);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
        {
            throw Fault(path, "cannot be read: " + e.Message);
        }
        try
        {
            var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            throw Fault(path, $"line {LineAt(bytes, e.Index)} is not UTF-8 text.");
        }
    }

    public static StudioInputException Fault(string path, string what) =>
        new StudioInputException("InvalidConfigFile", "Config",
            $"The datachain config file '{path}' {what} Every StudioPS cmdlet reads it (as the datachain client does); fix it, or point DATACHAIN_GLOBAL_CONFIG_DIR / DATACHAIN_ROOT_DIR elsewhere.");

    private static int LineAt(byte[] bytes, int index)
    {
        var line = 1;
        for (var i = 0; i < Math.Min(Math.Max(index, 0), bytes.Length); i++) if (bytes[i] == (byte)'\n') line++;
        return line;
    }

    private static byte[] ReadCapped(Stream stream, string path)
    {
        if (stream.Length > MaxBytes) throw Fault(path, $"is larger than {MaxBytes / 1024} KiB, far more than a config file holds.");
        var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes) throw Fault(path, $"is larger than {MaxBytes / 1024} KiB, far more than a config file holds.");
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// On Linux and macOS the file is opened non-blocking, so a FIFO opens at once (and is then
    /// refused as not seekable) instead of waiting for a writer forever.
    /// </summary>
    private static FileStream Open(string path)
    {
        int nonBlock = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? 0x800
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 0x4 : 0;
        if (nonBlock == 0) return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096);
        var fd = NativeOpen(path, nonBlock);
        if (fd < 0)
        {
            var errno = Marshal.GetLastWin32Error();
            if (errno == 13 || errno == 1) throw new UnauthorizedAccessException("permission denied");
            throw new IOException("open failed (errno " + errno + ")");
        }
        return new FileStream(new SafeFileHandle((IntPtr)fd, ownsHandle: true), FileAccess.Read, 1);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int NativeOpen([MarshalAs(UnmanagedType.LPStr)] string path, int flags);
}
