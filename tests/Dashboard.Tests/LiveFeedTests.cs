using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Models;
using Microsoft.Extensions.Logging.Abstractions;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

public sealed class LiveFeedTests : IDisposable
{
    private readonly InMemoryDashboardStore _store = new();
    private readonly LiveFeed _feed;

    public LiveFeedTests()
    {
        _store.Add(Sweep("s1", 50), Enumerable.Range(0, 50).Select(i =>
            (Trial("s1", i, Params(("lr", i.ToString(System.Globalization.CultureInfo.InvariantCulture))), Experiments.Core.Records.TrialStatus.Running, lastEpoch: 2), Epochs(0.5, 0.6))));
        _feed = new LiveFeed(_store, TimeProvider.System, NullLogger<LiveFeed>.Instance);
    }

    [Fact]
    public async Task TenPagesOnOneSweepCostOneStoreReadPerTick()
    {
        var pages = Enumerable.Range(0, 10).Select(_ => _feed.WatchSweep("s1", _ => Task.CompletedTask)).ToList();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _feed.GetSweepAsync("s1", CancellationToken.None)));
        Assert.Equal(1, _store.SummaryReads);

        await _feed.RefreshAsync(CancellationToken.None);
        await _feed.RefreshAsync(CancellationToken.None);
        Assert.Equal(3, _store.SummaryReads);
        // Every trial whole once; after that only the running ones (here all 50) once per tick.
        Assert.Equal(1, _store.TrialListReads);
        Assert.Equal(2 * 50, _store.TrialReads);
        pages.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task AWatchedSweepRereadsOnlyItsRunningTrialsUntilAFinishedOneChanges()
    {
        _store.Add(Sweep("big", 101), Enumerable.Range(0, 101).Select(i =>
            (Trial("big", i, Params(("lr", "0.1")), i == 100 ? Experiments.Core.Records.TrialStatus.Running : Experiments.Core.Records.TrialStatus.Completed, lastEpoch: 2), Epochs(0.5, 0.6))));
        using var watch = _feed.WatchSweep("big", _ => Task.CompletedTask);
        await _feed.GetSweepAsync("big", CancellationToken.None);
        var (lists, trials) = (_store.TrialListReads, _store.TrialReads);

        for (var tick = 0; tick < 3; tick++)
        {
            await _feed.RefreshAsync(CancellationToken.None);
        }

        Assert.Equal(lists, _store.TrialListReads);
        Assert.Equal(trials + 3, _store.TrialReads);

        // A requeue of a finished trial lowers a final count: everything is read again, however the requeue was made.
        _store.SetStatus("big-t4", Experiments.Core.Records.TrialStatus.Queued);
        await _feed.RefreshAsync(CancellationToken.None);

        Assert.Equal(lists + 1, _store.TrialListReads);
        var snapshot = await _feed.GetSweepAsync("big", CancellationToken.None);
        Assert.Equal(Experiments.Core.Records.TrialStatus.Queued, snapshot!.Trials[4].Record.Status);
    }

    [Fact]
    public async Task WatchersHearOfChangesAndOnlyOfChanges()
    {
        var heard = new List<SweepSnapshot>();
        using var watch = _feed.WatchSweep("s1", s => { heard.Add(s); return Task.CompletedTask; });
        await _feed.GetSweepAsync("s1", CancellationToken.None);

        await _feed.RefreshAsync(CancellationToken.None);
        Assert.Empty(heard);

        _store.RecordEpoch("s1-t7", new(3, 0.3, 0.7, 0.4, 0.71, 0.001, 10, 200));
        await _feed.RefreshAsync(CancellationToken.None);

        var snapshot = Assert.Single(heard);
        Assert.Equal(3, snapshot.Trials.Single(t => t.Record.Id == "s1-t7").Epochs.Count);
    }

    [Fact]
    public async Task EpochsAreReadAgainOnlyForTrialsThatRecordedANewOne()
    {
        using var watch = _feed.WatchSweep("s1", _ => Task.CompletedTask);
        await _feed.GetSweepAsync("s1", CancellationToken.None);
        Assert.Equal(50, _store.EpochReads);

        _store.RecordEpoch("s1-t3", new(3, 0.3, 0.7, 0.4, 0.71, 0.001, 10, 200));
        await _feed.RefreshAsync(CancellationToken.None);

        Assert.Equal(51, _store.EpochReads);
    }

    [Fact]
    public async Task TopicsNobodyWatchesAreNotReloaded()
    {
        var watch = _feed.WatchSweep("s1", _ => Task.CompletedTask);
        await _feed.GetSweepAsync("s1", CancellationToken.None);
        watch.Dispose();

        await _feed.RefreshAsync(CancellationToken.None);

        Assert.Equal(1, _store.SummaryReads);
    }

    [Fact]
    public async Task AFailingWatcherDoesNotStopTheOthers()
    {
        var heard = 0;
        using var bad = _feed.WatchSweep("s1", _ => throw new InvalidOperationException("page gone"));
        using var good = _feed.WatchSweep("s1", _ => { heard++; return Task.CompletedTask; });
        await _feed.GetSweepAsync("s1", CancellationToken.None);

        _store.SetStatus("s1-t0", Experiments.Core.Records.TrialStatus.Completed);
        await _feed.RefreshAsync(CancellationToken.None);

        Assert.Equal(1, heard);
    }

    [Fact]
    public async Task ADeletedSweepIsGoneForTheNextReaderAtOnce()
    {
        Assert.NotNull(await _feed.GetSweepAsync("s1", CancellationToken.None));
        Assert.Contains((await _feed.GetSweepsAsync(CancellationToken.None))!.Sweeps, s => s.Summary.Sweep.Id == "s1");

        await _store.DeleteSweepAsync("s1", CancellationToken.None);
        _feed.Invalidate(sweepId: "s1");

        // Within the feed's one-second window, and again right after: no stale snapshot.
        Assert.Null(await _feed.GetSweepAsync("s1", CancellationToken.None));
        Assert.Null(await _feed.GetSweepAsync("s1", CancellationToken.None));
        Assert.Empty((await _feed.GetSweepsAsync(CancellationToken.None))!.Sweeps);
    }

    public void Dispose() => _feed.Dispose();
}
