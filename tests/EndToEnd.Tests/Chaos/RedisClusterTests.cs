using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using Xunit.Abstractions;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>
/// Real workers against a real three-shard Redis Cluster: under a hash-tagged key prefix a sweep trains to the end;
/// under the default prefix a worker refuses the cluster at start, naming the setting to change.
/// </summary>
// Slow: real worker processes train a sweep.
[Trait("Category", "Slow")]
public sealed class RedisClusterTests(ITestOutputHelper output) : OwnStoreAndFolder<RedisClusterFixture>("experiments-cluster-")
{
    private const string TaggedPrefix = "{exp-e2e}:";

    private RedisClusterFixture Cluster => Store;

    [SkippableFact]
    public async Task WorkersTrainASweepToTheEndOnARedisClusterUnderAHashTaggedPrefix()
    {
        Skip.If(Cluster.UnavailableReason is not null, Cluster.UnavailableReason);
        var options = new StoreOptions { KeyPrefix = TaggedPrefix };
        var store = new SweepStore(Cluster.Connection, options, TimeProvider.System);
        var submitted = await store.SubmitAsync(SyntheticSweeps.Plan("cluster", trials: 3, epochs: 2), traceParent: null);
        using var fleet = new WorkerFleet(Cluster.ConnectionString, WorkDirectory, maxAttempts: 3);
        var prefix = new Dictionary<string, string> { ["Store__KeyPrefix"] = TaggedPrefix };
        fleet.StartOne(prefix);
        fleet.StartOne(prefix);

        var done = await Eventually.UntilAsync(
            () => store.GetTrialsAsync(submitted.SweepId),
            trials => trials.All(t => t.Status == TrialStatus.Completed) || trials.Any(t => t.Status is TrialStatus.Failed or TrialStatus.Diverged) || fleet.Running.Count == 0,
            "every trial to complete on the cluster",
            timeout: TimeSpan.FromMinutes(8),
            interval: TimeSpan.FromSeconds(1));
        Assert.True(done.All(t => t.Status == TrialStatus.Completed), string.Join("\n", fleet.All.Select(w => $"--- {w.LogPath}\n" + string.Join("\n", File.ReadLines(w.LogPath).TakeLast(20)))));
        foreach (var trial in done)
        {
            Assert.Equal([1, 2], (await store.GetEpochsAsync(trial.Id)).Select(e => e.Epoch));
        }

        // The keys really are spread over a cluster: the shard holding the tag's slot holds them all.
        var shards = Cluster.Connection.GetServers().Where(s => s.IsConnected && !s.IsReplica).ToList();
        Assert.Equal(3, shards.Count);
        var holding = new List<string>();
        foreach (var shard in shards)
        {
            await foreach (var _ in shard.KeysAsync(pattern: TaggedPrefix + "*", pageSize: 10))
            {
                holding.Add(shard.EndPoint.ToString()!);
                break;
            }
        }

        output.WriteLine($"3 trials completed; keys on {string.Join(", ", holding)} of {shards.Count} shards");
        Assert.Single(holding);
    }

    [SkippableFact]
    public async Task AWorkerRefusesAClusterUnderTheDefaultPrefixNamingTheTaggedOne()
    {
        Skip.If(Cluster.UnavailableReason is not null, Cluster.UnavailableReason);
        using var fleet = new WorkerFleet(Cluster.ConnectionString, WorkDirectory, maxAttempts: 3);
        var worker = fleet.StartOne();

        await Eventually.UntilAsync(() => worker.HasExited, $"the worker to refuse the cluster ({worker.LogPath})", timeout: TimeSpan.FromMinutes(2));
        var log = await File.ReadAllTextAsync(worker.LogPath);
        Assert.Contains("Store:KeyPrefix 'exp:' has no hash tag", log, StringComparison.Ordinal);
        Assert.Contains("Store__KeyPrefix={exp}:", log, StringComparison.Ordinal);
    }

    private protected override RedisClusterFixture CreateStore() => new();
}
