using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using StudioPS.Input;

namespace StudioPS.Models
{
    /// <summary>A Studio job, as the jobs endpoints return it (the document's JobOutput).</summary>
    public sealed class StudioJob : IJsonOnDeserialized
    {
        /// <summary>Statuses after which a job changes no more (TASK: a cron template that only spawns runs).</summary>
        public static readonly IReadOnlyCollection<string> TerminalStatuses = new[] { "COMPLETE", "FAILED", "CANCELED", "TASK" };

        /// <summary>Every status the module knows; a status outside it is still kept as the server sent it.</summary>
        public static readonly IReadOnlyList<string> KnownStatuses = new[]
        {
            "CREATED", "SCHEDULED", "PROVISIONING", "QUEUED", "INIT", "RUNNING", "COMPLETE", "FAILED",
            "CANCELING", "CANCELED", "CANCELING_SCHEDULED", "TASK", "PENDING",
        };

        [JsonConverter(typeof(FlexibleStringConverter))]
        public string? Id { get; set; }
        public string? Url { get; set; }
        public string? Status { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public string? CreatedBy { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }
        public string? Query { get; set; }
        public string? QueryType { get; set; }
        public string? Team { get; set; }
        public string? Name { get; set; }
        public int? Workers { get; set; }
        public string? PythonVersion { get; set; }
        public string? Requirements { get; set; }
        public string? Repository { get; set; }

        /// <summary>The job's environment; servers send a dictionary, some older ones the KEY=VALUE text.</summary>
        [JsonConverter(typeof(EnvironmentConverter))]
        public Dictionary<string, string>? Environment { get; set; }

        public int? ExitCode { get; set; }
        public string? ErrorMessage { get; set; }

        [JsonConverter(typeof(FlexibleStringConverter))]
        [JsonPropertyName("compute_cluster_id")]
        public string? ClusterId { get; set; }

        [JsonPropertyName("compute_cluster_name")]
        public string? ClusterName { get; set; }

        /// <summary>The job's steps, sent by newer servers when asked with include_steps.</summary>
        public StudioJobStep[]? Steps { get; set; }

        /// <summary>Fields the module does not model, kept so nothing the server sent is lost.</summary>
        [JsonExtensionData]
        public Dictionary<string, JsonElement>? AdditionalFields { get; set; }

        [JsonIgnore]
        public bool IsTerminal => IsTerminalStatus(Status);

        /// <summary>How long the job ran (or has run so far, for a job still going).</summary>
        [JsonIgnore]
        public TimeSpan? Duration =>
            CreatedAt == null ? (TimeSpan?)null : (FinishedAt ?? (IsTerminal ? CreatedAt : DateTimeOffset.UtcNow)) - CreatedAt;

        public static bool IsTerminalStatus(string? status) =>
            status != null && ((IList<string>)TerminalStatuses).Contains(status.ToUpperInvariant());

        void IJsonOnDeserialized.OnDeserialized()
        {
            // Other spellings of the cluster seen from servers: cluster_id / cluster_name / cluster {id, name}.
            if (AdditionalFields == null) return;
            if (ClusterId == null && AdditionalFields.TryGetValue("cluster_id", out var id)) ClusterId = Scalar(id);
            if (ClusterName == null && AdditionalFields.TryGetValue("cluster_name", out var name)) ClusterName = Scalar(name);
            if (AdditionalFields.TryGetValue("cluster", out var cluster) && cluster.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in cluster.EnumerateObject())
                {
                    if (ClusterId == null && property.NameEquals("id")) ClusterId = Scalar(property.Value);
                    if (ClusterName == null && property.NameEquals("name")) ClusterName = Scalar(property.Value);
                }
            }
        }

        private static string? Scalar(JsonElement value) =>
            value.ValueKind == JsonValueKind.String ? JsonText.SafeString(value)
            : value.ValueKind == JsonValueKind.Number ? value.GetRawText()
            : null;

        /// <summary>Fills what a partial create response left out from a full read of the same job.</summary>
        public StudioJob MergeFrom(StudioJob? full)
        {
            if (full == null) return this;
            foreach (var property in typeof(StudioJob).GetProperties())
            {
                if (!property.CanWrite) continue;
                if (property.GetValue(this) == null) property.SetValue(this, property.GetValue(full));
            }
            // The later read knows the current status better than the create response did.
            if (full.Status != null) Status = full.Status;
            return this;
        }

        public override string ToString() => Id ?? string.Empty;
    }

    /// <summary>One step of a job (include_steps=true).</summary>
    public sealed class StudioJobStep
    {
        public string? Name { get; set; }
        public string? Label { get; set; }
        public string? Status { get; set; }
        public DateTimeOffset? StartedAt { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }

        public override string ToString() => (Label ?? Name ?? string.Empty) + " " + Status;
    }

    /// <summary>An uploaded file (the document's UploadFileOutput).</summary>
    public sealed class StudioFile
    {
        [JsonConverter(typeof(FlexibleStringConverter))]
        public string? Id { get; set; }

        [JsonPropertyName("filename")]
        public string? FileName { get; set; }

        public long? Size { get; set; }
        public string? State { get; set; }
        public string? Error { get; set; }

        /// <summary>The local file this upload came from.</summary>
        [JsonIgnore]
        public string? Path { get; set; }

        public override string ToString() => Id ?? string.Empty;
    }

    /// <summary>The document's ActionFeedback: <c>{"message": "Successfully canceled"}</c>.</summary>
    public sealed class ActionFeedback
    {
        public string? Message { get; set; }
    }

    /// <summary>Reads an environment sent as a JSON object or as KEY=VALUE lines.</summary>
    internal sealed class EnvironmentConverter : JsonConverter<Dictionary<string, string>?>
    {
        public override bool HandleNull => true;

        public override Dictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.String:
                    return EnvironmentText.Parse(reader.GetString() ?? string.Empty, "environment", strict: false);
                case JsonTokenType.StartObject:
                    var result = new Dictionary<string, string>(StringComparer.Ordinal);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var key = reader.GetString() ?? string.Empty;
                        reader.Read();
                        result[key] = reader.TokenType switch
                        {
                            JsonTokenType.String => reader.GetString() ?? string.Empty,
                            JsonTokenType.Null => string.Empty,
                            JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => RawText(ref reader),
                            _ => throw new JsonException("An environment value must be a string."),
                        };
                    }
                    return result;
                default:
                    throw new JsonException($"Expected an environment object or text, found {reader.TokenType}.");
            }
        }

        private static string RawText(ref Utf8JsonReader reader) =>
            System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());

        public override void Write(Utf8JsonWriter writer, Dictionary<string, string>? value, JsonSerializerOptions options)
        {
            if (value == null) { writer.WriteNullValue(); return; }
            writer.WriteStartObject();
            foreach (var pair in value) writer.WriteString(pair.Key, pair.Value);
            writer.WriteEndObject();
        }
    }
}
