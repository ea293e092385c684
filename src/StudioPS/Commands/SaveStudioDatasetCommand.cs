using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Datasets;
using StudioPS.Input;
using StudioPS.Models;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// Exports a dataset version on Studio and saves its parts into a folder: decompressed to parquet,
/// or as sent with -Raw. Emits the files.
/// </summary>
[Cmdlet(VerbsData.Save, "StudioDataset")]
[OutputType(typeof(FileInfo))]
public sealed class SaveStudioDatasetCommand : StudioCmdlet
{
    private const int ProgressId = 4310;

    /// <summary>The dataset: namespace.project.name (optionally @version) or a short name that names one dataset.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DatasetNameCompleter))]
    public string? Name { get; set; }

    /// <summary>The version to save; the latest COMPLETE one when absent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>The folder the parts go into; created when missing.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Keep the parts as Studio sent them (LZ4 frames, .parquet.lz4).</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>Seconds between reads of the export's status while parts are still being written.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollIntervalSec { get; set; } = 3;

    /// <summary>The namespace of a short -Name; bound from piped datasets, so they are named exactly.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>The project of a short -Name; bound from piped datasets.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Project { get; set; }

    protected override void ProcessRecord()
    {
        Execute(() =>
        {
            var selector = DatasetSelector.Parse(DatasetCommands.Qualify(Name, Namespace, Project), "Name", allowWildcards: false, allowVersion: true);
            var version = DatasetCommands.VersionOf(selector, Version);
            var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            InputChecks.OutputFolder(folder, Path!);
            var team = RequireTeam();
            var dataset = DatasetCommands.ResolveOne(this, CurrentConnection, team, selector);
            StudioDatasetVersion chosen;
            if (version != null)
            {
                chosen = DatasetLookup.RequireVersion(dataset, version);
            }
            else
            {
                chosen = dataset.Versions.LastOrDefault(v => v.Status == "COMPLETE")
                    ?? throw new StudioInputException("NoCompleteVersion", "Version", $"Dataset {dataset.FullName} has no COMPLETE version to save.");
            }
            if (chosen.Status != "COMPLETE")
                throw new StudioInputException("VersionNotComplete", "Version",
                    $"Version {chosen.Version} of {dataset.FullName} is {chosen.Status}; only a COMPLETE version can be saved.");

            var connection = CurrentConnection;
            var downloader = new DatasetDownloader(connection.Client, connection.ForeignHttp, this);
            var request = new DatasetDownloadRequest
            {
                Team = team,
                Namespace = dataset.Namespace!,
                Project = dataset.Project!,
                Name = dataset.Name!,
                Version = chosen.Version!,
                Folder = folder,
                Raw = Raw,
                StatusInterval = TimeSpan.FromSeconds(PollIntervalSec),
                PartRetryDelay = TimeSpan.FromSeconds(Math.Min(1, PollIntervalSec)),
            };
            var activity = $"Saving dataset {dataset.FullName}@{chosen.Version}";
            var files = Run(token => downloader.DownloadAsync(request, p => Runner.OnPipeline(() => WriteProgress(Describe(activity, p))), token));
            WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            foreach (var file in files) WriteObject(new FileInfo(file));
        }, Name);
    }

    private static ProgressRecord Describe(string activity, DatasetDownloadProgress p)
    {
        var export = p.NumFiles.HasValue ? $"Studio has written {p.FilesDone ?? 0}/{p.NumFiles} files" : "export started";
        return new ProgressRecord(ProgressId, activity, $"{export}; saved {p.PartsSaved}/{p.PartsTotal} parts ({p.BytesSaved / (1024 * 1024)} MiB)")
        {
            PercentComplete = p.PartsTotal == 0 ? 0 : Math.Min(100, p.PartsSaved * 100 / p.PartsTotal),
        };
    }
}
