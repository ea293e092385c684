using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StudioPS.Models;

/// <summary>An uploaded file (the document's UploadFileOutput).</summary>
public sealed class StudioFile
{
    /// <summary>The file id: pass it in <see cref="JobInput.Files"/>.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }

    /// <summary>The file's name in Studio.</summary>
    [JsonPropertyName("filename")]
    public string? FileName { get; set; }

    /// <summary>The file's size in bytes.</summary>
    public long? Size { get; set; }
    /// <summary>The upload's state, as the server sent it.</summary>
    public string? State { get; set; }
    /// <summary>Why the upload failed, as the server sent it.</summary>
    public string? Error { get; set; }

    /// <summary>The local file this upload came from.</summary>
    [JsonIgnore]
    public string? Path { get; set; }

    /// <summary>The file id.</summary>
    public override string ToString() => Id ?? string.Empty;
}
