using System.Text.Json;

namespace StudioPS.Emulator.State;

/// <summary>An uploaded file. State goes uploading → ready, or uploading → failed when the body never completes.</summary>
public sealed class Upload
{
    public required int Id { get; init; }
    public required string Team { get; init; }
    public required string FileName { get; init; }
    public required string StoredPath { get; init; }
    public required DateTime CreatedAt { get; init; }
    volatile string _state = "uploading";
    long _size;

    public string State { get => _state; set => _state = value; }
    public long Size { get => Interlocked.Read(ref _size); set => Interlocked.Exchange(ref _size, value); }
    public string? Error { get; set; }

    /// <summary>UploadFileOutput as documented.</summary>
    public void Write(Utf8JsonWriter w, bool withTeam)
    {
        w.WriteStartObject();
        w.WriteNumber("id", Id);
        w.WriteString("filename", FileName);
        w.WriteNumber("size", Size);
        w.WriteString("state", State);
        w.WriteString("error", Error);
        if (withTeam)
        {
            w.WriteString("team", Team);
            w.WriteString("created_at", Json.Time(CreatedAt));
        }
        w.WriteEndObject();
    }
}
