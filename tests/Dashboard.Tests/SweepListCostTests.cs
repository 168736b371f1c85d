using System.Globalization;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Models;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// What the Sweeps list costs the real store (Garnet), counted by the client's own profiler on the feed's connection:
/// every command the feed sends is seen, so a read of a finished sweep cannot hide.
/// </summary>
public sealed class SweepListCostTests : IAsyncLifetime
{
    private readonly GarnetServerFixture _server = new();
    private readonly StoreOptions _options = new() { KeyPrefix = "cost:" };
    private ConnectionMultiplexer _feedConnection = default!;
    private ProfilingSession? _session;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        if (_server.UnavailableReason is null)
        {
            _feedConnection = await _server.ConnectAsync();
            _feedConnection.RegisterProfiler(() => _session);
        }
    }

    public async Task DisposeAsync()
    {
        if (_feedConnection is not null)
        {
            await _feedConnection.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [SkippableFact]
    public async Task TheFeedReadsNoFinishedSweepBetweenChangesAndHearsOfARequeueFromAnotherProcess()
    {
        Skip.If(_server.UnavailableReason is not null, _server.UnavailableReason);
        // Another process (a worker, the API of another Dashboard) writes through its own connection.
        var writer = new SweepStore(_server.Connection, _options, TimeProvider.System);
        var queue = new TrialQueue(_server.Connection, _options, TimeProvider.System);
        var finishedA = await writer.SubmitAsync(Plan("finished-a", 2), null);
        var finishedB = await writer.SubmitAsync(Plan("finished-b", 2), null);
        for (var i = 0; i < 4; i++)
        {
            var lease = await queue.TryClaimAsync("worker-1") ?? throw new InvalidOperationException("nothing to claim");
            await queue.FinishAsync(lease, lease.TrialId == finishedB.TrialIds[0] ? TrialOutcome.Diverged("loss is NaN") : TrialOutcome.Completed([]));
        }

        var active = await writer.SubmitAsync(Plan("active", 1), null);
        using var feed = new LiveFeed(new DashboardStore(new SweepStore(_feedConnection, _options, TimeProvider.System)), TimeProvider.System, NullLogger<LiveFeed>.Instance);
        using var watch = feed.WatchSweeps(_ => Task.CompletedTask);
        await feed.GetSweepsAsync(CancellationToken.None);
        await feed.RefreshAsync(CancellationToken.None); // subscribes to changes, then reads everything once

        var commands = await ProfileAsync(async () =>
        {
            for (var tick = 0; tick < 5; tick++)
            {
                await feed.RefreshAsync(CancellationToken.None);
            }
        });

        // Per tick: the sweep count (new submits?) and the one active sweep's summary with its running trials'
        // progress (one small hash entry per running trial); nothing of the finished two.
        Assert.Equal(5, commands.Count(c => c == "ZCARD"));
        Assert.Equal(5, commands.Count(c => c == "HMGET"));
        Assert.Equal(5, commands.Count(c => c == "HVALS"));
        Assert.DoesNotContain(commands, c => c is not ("ZCARD" or "HMGET" or "HVALS"));

        await writer.RequeueTrialAsync(finishedB.TrialIds[0]);

        var snapshot = await Eventually.UntilAsync(
            async () =>
            {
                await feed.RefreshAsync(CancellationToken.None);
                return await feed.GetSweepsAsync(CancellationToken.None);
            },
            s => s?.Sweeps.Single(x => x.Summary.Sweep.Id == finishedB.SweepId).Active == true,
            "the feed to see the requeued trial of a finished sweep");
        Assert.False(snapshot!.Sweeps.Single(x => x.Summary.Sweep.Id == finishedA.SweepId).Active);
        Assert.Equal([active.SweepId, finishedB.SweepId, finishedA.SweepId], snapshot.Sweeps.Select(s => s.Summary.Sweep.Id));
    }

    [SkippableFact]
    public async Task ListsReadSummariesWithoutTheSweepSource()
    {
        Skip.If(_server.UnavailableReason is not null, _server.UnavailableReason);
        var writer = new SweepStore(_server.Connection, _options, TimeProvider.System);
        var big = Plan("big-source", 1) with { SourceText = "# " + new string('x', 200_000) };
        await writer.SubmitAsync(big, null);
        var store = new SweepStore(_feedConnection, _options, TimeProvider.System);

        var commands = await ProfileAsync(async () =>
        {
            var listed = Assert.Single(await store.ListSweepsAsync());
            Assert.Equal("", listed.Sweep.SourceText);
            Assert.Equal(1, listed.StatusCounts[TrialStatus.Queued]);
        });

        Assert.DoesNotContain("HGETALL", commands);
        Assert.Contains("HMGET", commands);
    }

    private async Task<List<string>> ProfileAsync(Func<Task> work)
    {
        _session = new ProfilingSession();
        await work();
        var commands = _session.FinishProfiling().Select(c => c.Command).ToList();
        _session = null;
        return commands;
    }

    private static SweepPlan Plan(string name, int trials) => new(
        Name: name,
        Method: "grid",
        Metric: new SweepMetric("val_accuracy", "maximize"),
        SourceText: $"name: {name}\n",
        Trials: [.. Enumerable.Range(0, trials).Select(i => new PlannedTrial(
            new TrainingConfig { Dataset = Dataset.Synthetic, Epochs = 2, Lr = 1e-3 * (i + 1), Seed = i },
            new Dictionary<string, string> { ["lr"] = (1e-3 * (i + 1)).ToString(CultureInfo.InvariantCulture) }))]);
}
