using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using StudioPS.Http;
using StudioPS.Models;

namespace StudioPS.Client;

/// <summary>
/// Reads Studio's JSON bodies into models. Lists are read as a stream, so each object reaches
/// the caller while the rest of the body is still arriving. Both the bare array and the older
/// wrapped form (<c>{"jobs": [...]}</c>) are accepted. Any malformed body becomes a
/// <see cref="StudioApiException"/> of kind InvalidResponse, never another exception type.
/// </summary>
internal static class JsonBodies
{
    public static async IAsyncEnumerable<T> ReadListAsync<T>(Stream body, string wrapperName, string method, string path,
        [EnumeratorCancellation] CancellationToken cancellationToken) where T : class
    {
        var first = await PeekAsync(body, cancellationToken).ConfigureAwait(false);
        var stream = first.Stream;
        if (first.Byte == '{')
        {
            List<T> items;
            try
            {
                items = await ReadWrappedAsync<T>(stream, wrapperName, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsBodyFailure(e, cancellationToken))
            {
                throw Invalid(e, method, path);
            }
            foreach (var item in items) yield return item;
            yield break;
        }
        if (first.Byte != '[')
            throw Invalid(first.Byte == null ? "the body is empty" : "the body is not a JSON array", method, path);

        var enumerator = JsonSerializer.DeserializeAsyncEnumerable<T>(stream, StudioJson.Options, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (IsBodyFailure(e, cancellationToken))
                {
                    throw Invalid(e, method, path);
                }
                if (!more) yield break;
                // A null element carries nothing to emit.
                if (enumerator.Current != null) yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    public static T ReadObject<T>(byte[] body, string method, string path) where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(body, StudioJson.Options);
            return value ?? throw Invalid("the body is empty or null", method, path);
        }
        catch (Exception e) when (e is JsonException || e is NotSupportedException || e is InvalidOperationException || e is ArgumentException)
        {
            throw Invalid(e, method, path);
        }
    }

    private static async Task<List<T>> ReadWrappedAsync<T>(Stream stream, string wrapperName, CancellationToken cancellationToken)
    {
        using var doc = await JsonDocument.ParseAsync(stream, new JsonDocumentOptions { MaxDepth = 64, AllowTrailingCommas = true },
            cancellationToken).ConfigureAwait(false);
        JsonElement? array = null;
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Array) continue;
            if (string.Equals(property.Name, wrapperName, StringComparison.OrdinalIgnoreCase)) { array = property.Value; break; }
            if (array == null && (property.Name == "results" || property.Name == "items" || property.Name == "data")) array = property.Value;
        }
        if (array == null)
            throw new JsonException($"expected a JSON array or an object with a '{wrapperName}' array");
        var items = new List<T>();
        foreach (var element in array.Value.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Null) continue;
            var item = element.Deserialize<T>(StudioJson.Options);
            if (item != null) items.Add(item);
        }
        return items;
    }

    private static bool IsBodyFailure(Exception e, CancellationToken cancellationToken) =>
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        && (e is JsonException || e is NotSupportedException || e is InvalidOperationException || e is ArgumentException
            || e is IOException || e is HttpRequestException || e is FormatException || e is OverflowException);

    private static StudioApiException Invalid(Exception e, string method, string path)
    {
        if (e is IOException || e is HttpRequestException)
            return new StudioApiException(StudioErrorKind.ConnectionFailed,
                $"The connection broke while reading the response to {method} {path}: {e.Message}", null, null, method, path, false, null, e);
        return new StudioApiException(StudioErrorKind.InvalidResponse,
            $"The response to {method} {path} is not the JSON Studio sends: {e.Message}", null, null, method, path, false, null, e);
    }

    private static StudioApiException Invalid(string why, string method, string path) =>
        new StudioApiException(StudioErrorKind.InvalidResponse, $"The response to {method} {path} is not the JSON Studio sends: {why}.",
            null, null, method, path);

    private static async Task<(int? Byte, Stream Stream)> PeekAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[1];
        var skipped = new List<byte>(4);
        while (true)
        {
            var read = await body.ReadAsync(buffer, 0, 1, cancellationToken).ConfigureAwait(false);
            if (read == 0) return (null, body);
            var b = buffer[0];
            // Skip whitespace and a UTF-8 byte order mark before the first value.
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF) continue;
            return (b, new PrefixedStream(new[] { b }, body));
        }
    }
}
