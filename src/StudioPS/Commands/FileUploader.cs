using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands
{
    /// <summary>Uploads one file with Write-Progress (bytes, percent, rate), shared by Send-StudioFile and New-StudioJob -File.</summary>
    internal static class FileUploader
    {
        private const int ActivityId = 4220;

        public static StudioFile Upload(StudioCmdlet cmdlet, StudioConnection connection, string team, string path)
        {
            var name = Path.GetFileName(path);
            var total = new FileInfo(path).Length;
            var watch = Stopwatch.StartNew();
            long lastReport = -1;
            var progress = new Progress(sent =>
            {
                // At most four updates a second: progress is for people, and each record costs.
                var now = watch.ElapsedMilliseconds;
                var previous = Interlocked.Read(ref lastReport);
                if (sent < total && now - previous < 250) return;
                if (Interlocked.CompareExchange(ref lastReport, now, previous) != previous) return;
                cmdlet.OnPipeline(() => cmdlet.WriteProgress(Record(name, sent, total, watch.Elapsed)));
            });
            try
            {
                return cmdlet.Run(token => connection.Client.UploadFileAsync(team, path, progress, cmdlet, token));
            }
            finally
            {
                cmdlet.WriteProgress(new ProgressRecord(ActivityId, "Uploading " + name, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

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

        private sealed class Progress : IProgress<long>
        {
            private readonly Action<long> _report;
            public Progress(Action<long> report) => _report = report;
            public void Report(long value) => _report(value);
        }
    }
}
