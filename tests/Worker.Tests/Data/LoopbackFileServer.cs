using System.Net;
using Experiments.Tests.Shared;

namespace Experiments.Worker.Tests.Data;

/// <summary>
/// Serves fixed files over HTTP on 127.0.0.1 (a real server, no mocks); 404 for unknown paths. With
/// <see cref="StallAfterHalf"/> it sends half of each file, then keeps the connection open without sending more.
/// </summary>
internal sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly IReadOnlyDictionary<string, byte[]> _files;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _requests;

    public LoopbackFileServer(IReadOnlyDictionary<string, byte[]> files)
    {
        _files = files;
        var port = LoopbackPorts.Free();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public bool StallAfterHalf { get; init; }

    public int RequestCount => Volatile.Read(ref _requests);

    public Uri UrlOf(string name) => new(BaseUrl, name);

    /// <summary>An address where nothing listens, so connecting is refused at once (the offline case).</summary>
    public static Uri RefusingUrl(string name) => new($"http://127.0.0.1:{LoopbackPorts.Free()}/{name}");

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        try
        {
            var name = context.Request.Url!.AbsolutePath.TrimStart('/');
            if (!_files.TryGetValue(name, out var data))
            {
                context.Response.StatusCode = 404;
                context.Response.Close();
                return;
            }
            context.Response.ContentLength64 = data.Length;
            if (StallAfterHalf)
            {
                await context.Response.OutputStream.WriteAsync(data.AsMemory(0, data.Length / 2), _stopping.Token);
                await context.Response.OutputStream.FlushAsync(_stopping.Token);
                await Task.Delay(Timeout.Infinite, _stopping.Token);
            }
            await context.Response.OutputStream.WriteAsync(data, _stopping.Token);
            context.Response.Close();
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client went away or the server is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Close();
        await _loop;
        _stopping.Dispose();
    }
}
