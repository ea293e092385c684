using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Text;

namespace StudioPS.Core.Tests.Support;

/// <summary>A network stand-in: answers each request with the next scripted response and records what was sent.</summary>
public sealed class FakeHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();

    public List<HttpRequestMessage> Requests { get; } = new();
    public List<string?> Bodies { get; } = new();
    public List<string?> AuthorizationHeaders { get; } = new();

    public FakeHandler Respond(HttpStatusCode status, string? body = null, string mediaType = "application/json", Action<HttpResponseMessage>? configure = null)
    {
        _script.Enqueue((_, _) =>
        {
            var response = new HttpResponseMessage(status);
            if (body != null) response.Content = new StringContent(body, Encoding.UTF8, mediaType);
            configure?.Invoke(response);
            return Task.FromResult(response);
        });
        return this;
    }

    public FakeHandler Throw(Exception error)
    {
        _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(error));
        return this;
    }

    /// <summary>
    /// Never answers: only cancellation ends the call. <paramref name="reached"/> is set when the request arrives,
    /// <paramref name="cancelled"/> when the cancellation ends it.
    /// </summary>
    public FakeHandler Hang(TaskCompletionSource<bool>? reached = null, TaskCompletionSource<bool>? cancelled = null)
    {
        _script.Enqueue(async (_, token) =>
        {
            reached?.TrySetResult(true);
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled?.TrySetResult(true);
                throw;
            }
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    public FakeHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step)
    {
        _script.Enqueue(step);
        return this;
    }

    public int Calls => Requests.Count;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
            AuthorizationHeaders.Add(request.Headers.Authorization?.ToString());
        }
        Bodies.Add(request.Content == null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
        if (!_script.TryDequeue(out var step))
            throw new InvalidOperationException($"No scripted response left for {request.Method} {request.RequestUri}");
        var response = await step(request, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }
}

/// <summary>Collects the client's trace lines, as the cmdlet layer would write them.</summary>
public sealed class RecordingTrace : StudioPS.Client.IStudioTrace
{
    public bool VerboseEnabled { get; set; } = true;
    public bool DebugEnabled { get; set; } = true;
    public ConcurrentQueue<string> Lines { get; } = new();
    public void Verbose(string message) => Lines.Enqueue("VERBOSE: " + message);
    public void Debug(string message) => Lines.Enqueue("DEBUG: " + message);
    public string All => string.Join("\n", Lines);
}

/// <summary>A fresh folder that is deleted again.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "studiops-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}
