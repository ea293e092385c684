using System.Collections.Generic;
using System.Management.Automation;
using StudioPS.Models;

namespace StudioPS.Commands;

/// <summary>Uploads files for jobs, streaming each from disk with progress; emits a StudioFile with the id to pass to -FileId.</summary>
[Cmdlet(VerbsCommunications.Send, "StudioFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
[OutputType(typeof(StudioFile))]
public sealed class SendStudioFileCommand : StudioCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    protected override void ProcessRecord()
    {
        Execute(() =>
        {
            // Every path of this call is checked before the first byte is sent.
            var files = new List<string>();
            if (ParameterSetName == PathSet)
                foreach (var path in Path!) files.AddRange(FilePaths.ResolveFiles(this, path, "Path"));
            else
                foreach (var path in LiteralPath!) files.Add(FilePaths.ResolveFile(this, path, "LiteralPath", openForRead: true));
            var team = RequireTeam();
            var connection = CurrentConnection;
            foreach (var file in files)
            {
                if (!ShouldProcess($"{file} to team '{team}'", "Upload")) continue;
                Execute(() => WriteObject(FileUploader.Upload(this, connection, team, file)), file);
            }
        }, Path ?? LiteralPath);
    }
}
