using Experiments.Dashboard.Ui.Live;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

public sealed class EpochCacheTests
{
    [Fact]
    public async Task BeyondItsLimitTheLeastRecentlyUsedTrialsGoFirst()
    {
        var store = new InMemoryDashboardStore();
        var sweep = Sweep("s", 3);
        var trials = Enumerable.Range(0, 3).Select(i => Trial("s", i, Params(), lastEpoch: 2)).ToList();
        store.Add(sweep, trials.Select(t => (t, Epochs(0.5, 0.6))));
        var time = new SteppedTime();
        var cache = new EpochCache(store, time, maxTrials: 2);

        foreach (var trial in trials)
        {
            await cache.WithEpochsAsync([trial], CancellationToken.None);
            time.Step();
        }

        cache.Evict();

        Assert.Equal(2, cache.Count);
        var readsBefore = store.EpochReads;
        await cache.WithEpochsAsync([trials[2]], CancellationToken.None);
        Assert.Equal(readsBefore, store.EpochReads);
        await cache.WithEpochsAsync([trials[0]], CancellationToken.None);
        Assert.Equal(readsBefore + 1, store.EpochReads);
    }

    /// <summary>A clock that moves one second when told, so "least recently used" is unambiguous.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private DateTimeOffset _now = Start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Step() => _now += TimeSpan.FromSeconds(1);
    }
}
