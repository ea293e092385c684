using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>Upload progress for people (bytes, percent, rate, at most four records a second), shared by Send-StudioFile and New-StudioJob -File.</summary>
internal sealed class FileUploader : IProgress<long>
{
    private const int ActivityId = 4220;
    private readonly ProgressWriter _writer;
    private readonly string _name;
    private readonly long _total;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _lastReport = -1;

    public FileUploader(StudioCmdlet cmdlet, string path, long total)
    {
        _name = Path.GetFileName(path);
        _total = total;
        _writer = new ProgressWriter(cmdlet, ActivityId, "Uploading " + _name);
    }

    /// <summary>Uploads one file with progress.</summary>
    public static StudioFile Upload(StudioCmdlet cmdlet, StudioConnection connection, string team, string path)
    {
        var progress = new FileUploader(cmdlet, path, new FileInfo(path).Length);
        try
        {
            return cmdlet.Run(token => connection.Client.UploadFileAsync(team, path, progress, cmdlet, token));
        }
        finally
        {
            progress.Complete();
        }
    }

    public void Report(long sent)
    {
        // At most four updates a second: progress is for people, and each record costs.
        var now = _watch.ElapsedMilliseconds;
        var previous = Interlocked.Read(ref _lastReport);
        if (sent < _total && now - previous < 250) return;
        if (Interlocked.CompareExchange(ref _lastReport, now, previous) != previous) return;
        _writer.Write(Record(_name, sent, _total, _watch.Elapsed));
    }

    public void Complete() => _writer.Complete();

    private static ProgressRecord Record(string name, long sent, long total, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? sent / elapsed.TotalSeconds : 0;
        var percent = total == 0 ? 100 : (int)(sent * 100 / total);
        var record = new ProgressRecord(ActivityId, "Uploading " + name + " to Studio",
            string.Format(CultureInfo.InvariantCulture, "{0} of {1} ({2}%) at {3}/s", Size(sent), Size(total), percent, Size((long)rate)))
        {
            PercentComplete = Math.Min(100, percent),
        };
        if (rate > 0) record.SecondsRemaining = (int)Math.Min(int.MaxValue, (total - sent) / rate);
        return record;
    }

    internal static string Size(long bytes)
    {
        string[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(unit == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
