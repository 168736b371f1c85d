using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Experiments.EndToEnd.Tests.Secrets;

/// <summary>
/// Every log line of an AppHost run: the AppHost's own (at Information, what its console shows) and the console
/// output of every resource instance (the store, each worker, the Dashboard), as the Aspire dashboard shows it.
/// </summary>
internal sealed class RunLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Source, string Text)> _lines = new();
    private readonly ConcurrentDictionary<string, byte> _watched = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    public IReadOnlyList<(string Source, string Text)> Lines => [.. _lines];

    /// <summary>Follows each resource instance's console from its first line (call before the app starts).</summary>
    public void Follow(DistributedApplication app)
    {
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        _ = Task.Run(async () =>
        {
            await foreach (var change in notifications.WatchAsync(_stop.Token))
            {
                if (_watched.TryAdd(change.ResourceId, 0))
                {
                    _ = Task.Run(async () =>
                    {
                        await foreach (var batch in logs.WatchAsync(change.ResourceId).WithCancellation(_stop.Token))
                        {
                            foreach (var line in batch)
                            {
                                _lines.Enqueue((change.ResourceId, line.Content));
                            }
                        }
                    });
                }
            }
        });
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private sealed class Logger(string category, ConcurrentQueue<(string Source, string Text)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue((category, $"{formatter(state, exception)} {exception}"));
            }
        }
    }
}
