using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Experiments.Core.Checkpoints;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using Experiments.Worker.Hosting;
using Experiments.Worker.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>
/// A real Worker host (queue loop, reaper, cleanup, TorchSharp trainer) against a real store, under a key prefix
/// of its own, with short timings; records its log lines and the Worker's metrics.
/// </summary>
internal sealed class WorkerHostHarness : IAsyncDisposable
{
    private readonly IHost host;
    private readonly MeterListener listener = new();

    private WorkerHostHarness(IHost host, string keyPrefix, ConcurrentQueue<string> logs)
    {
        this.host = host;
        KeyPrefix = keyPrefix;
        Logs = logs;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WorkerTelemetry.Name)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            Measurements.Enqueue((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();
    }

    public string KeyPrefix { get; }

    public SweepStore Store => host.Services.GetRequiredService<SweepStore>();

    /// <summary>Every log line (Information and up) so far.</summary>
    public ConcurrentQueue<string> Logs { get; }

    public ConcurrentQueue<(string Instrument, long Value, string Tags)> Measurements { get; } = new();

    public static async Task<WorkerHostHarness> StartAsync(StoreServer server, string checkpointRoot, IDictionary<string, string?>? settings = null)
    {
        var keyPrefix = $"w-{Guid.NewGuid():N}:";
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:store"] = server.ConnectionString,
            ["Store:KeyPrefix"] = keyPrefix,
            // Renewals every second: a deletion or cancel is seen within about a second.
            ["Store:LeaseDuration"] = "00:00:03",
            ["Worker:PollInterval"] = "00:00:00.200",
            ["Worker:ReapInterval"] = "00:00:01",
            ["Worker:SpaceRetryInterval"] = "00:00:00.500",
            ["Worker:CleanupInterval"] = "00:00:00.500",
            [CheckpointOptions.RootKey] = checkpointRoot,
            ["Data:Root"] = Path.Combine(checkpointRoot, "..", Path.GetFileName(checkpointRoot) + "-data"),
            ["Data:AllowDownload"] = "false",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMetrics();
        var logs = new ConcurrentQueue<string>();
        builder.Logging.AddProvider(new RecordingLoggerProvider(logs));
        builder.AddTraining();
        builder.AddTrialWorker();
        var harness = new WorkerHostHarness(builder.Build(), keyPrefix, logs);
        await harness.host.StartAsync();
        return harness;
    }

    public long Sum(string instrument, string? tag = null) =>
        Measurements.Where(m => m.Instrument == instrument && (tag is null || m.Tags.Contains(tag, StringComparison.Ordinal))).Sum(m => m.Value);

    /// <summary>A sweep of one trial per config, submitted as the API would.</summary>
    public Task<SubmittedSweep> SubmitAsync(params TrainingConfig[] configs) => Store.SubmitAsync(Plan(configs), traceParent: null);

    public static SweepPlan Plan(params TrainingConfig[] configs) => new(
        Name: "worker-test",
        Method: "grid",
        Metric: new SweepMetric("val_accuracy", "maximize"),
        SourceText: "name: worker-test\n",
        Trials: [.. configs.Select((c, i) => new PlannedTrial(c, new Dictionary<string, string> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))]);

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (condition(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what} did not happen within {timeout}; last seen: {value}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await host.StopAsync();
        host.Dispose();
    }

    private sealed class RecordingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new RecordingLogger(lines);

        public void Dispose()
        {
        }
    }

    private sealed class RecordingLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
