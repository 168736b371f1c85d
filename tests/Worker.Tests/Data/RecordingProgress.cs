using System.Collections.Concurrent;

namespace Experiments.Worker.Tests.Data;

/// <summary>Records reports synchronously (Progress&lt;T&gt; posts them later), with an optional reaction to each.</summary>
internal sealed class RecordingProgress(Action<string>? onReport = null) : IProgress<string>
{
    private readonly ConcurrentQueue<string> _reports = new();

    public IReadOnlyList<string> Reports => [.. _reports];

    public void Report(string value)
    {
        _reports.Enqueue(value);
        onReport?.Invoke(value);
    }
}
