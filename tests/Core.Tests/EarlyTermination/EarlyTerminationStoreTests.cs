using Experiments.Core.EarlyTermination;
using Experiments.Core.Tests.Fixtures;

namespace Experiments.Core.Tests.EarlyTermination;

/// <summary>
/// The Lua decision on a real server against <see cref="EarlyTerminationLedger"/> (the C# reference): the same
/// reports, in the same interleaved order, must get equal decisions, replays included. Runs on Garnet and Redis.
/// </summary>
public abstract class EarlyTerminationStoreTests(StoreServer server)
{
    public static TheoryData<string, string> Rules => new()
    {
        { "asha", "maximize" },
        { "asha", "minimize" },
        { "hyperband", "maximize" },
        { "median", "maximize" },
        { "median", "minimize" },
    };

    [SkippableTheory]
    [MemberData(nameof(Rules))]
    public async Task TheStoreDecidesAsTheReferenceOnRandomCurves(string type, string goal)
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var sweepId = $"sw-{type}-{goal}-{seed}";
            EarlyTerminationTypes.TryParse(type, out var rule);
            var spec = new EarlyTerminationSpec(rule) { MinEpochs = 1, ReductionFactor = seed + 1, StartupTrials = 3, WarmupEpochs = seed - 1 };
            var policy = new EarlyTerminationPolicy(sweepId, spec, 9, goal == "maximize" ? "val_accuracy" : "val_loss", MetricGoals.Parse(goal));
            var ledger = new EarlyTerminationLedger(policy);
            var store = new StoreEarlyTermination(server.Connection, $"et-{Guid.NewGuid():N}:", policy);

            foreach (var report in RandomReports(seed, trials: 30, maxEpochs: 9))
            {
                var expected = ledger.Report(report.Trial, report.Index, report.Epoch, report.LastEpoch, report.Value);
                var actual = await store.ReportAsync(report.Trial, report.Index, report.Epoch, report.LastEpoch, report.Value);
                Assert.True(expected == actual, $"{sweepId} {report}: reference {expected.Encode()}, store {actual.Encode()}");
            }
        }
    }

    [SkippableFact]
    public async Task AScriptCutShortAfterItsRungWriteIsCompletedByTheReplayNotDoubled()
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        var policy = new EarlyTerminationPolicy("sw-prefix", new EarlyTerminationSpec(EarlyTerminationType.Asha), 10, "val_accuracy", MetricGoal.Maximize);
        var prefix = $"et-{Guid.NewGuid():N}:";
        var store = new StoreEarlyTermination(server.Connection, prefix, policy);
        await store.ReportAsync("a", 0, 1, 10, 0.8);

        // kill -9 replayed only the script's first write (the rung entry) for trial b, with 0.3; no record.
        var database = server.Connection.GetDatabase();
        await database.SortedSetAddAsync(new EarlyTerminationKeys(prefix).Rung("sw-prefix", 0, 0), "b", 0.3);

        // The worker re-reports epoch 1 (re-run, slightly different): the stored result stands and counts once.
        var decision = await store.ReportAsync("b", 1, 1, 10, 0.9);
        Assert.Equal((DecisionVerdict.Prune, 2, 0.3), (decision.Verdict, decision.Count, decision.Value));
        Assert.Equal(decision, await store.ReportAsync("b", 1, 1, 10, 0.95));
    }

    private sealed record Report(string Trial, int Index, int Epoch, int LastEpoch, double Value);

    /// <summary>
    /// Trials start in index order with up to 4 running at once; each reports its epochs in order, stopping when
    /// finished or at random (as a pruned or failed trial would). Values come from crossing curves with
    /// a 0.01 grid (many ties), an occasional NaN, and replays of an earlier epoch with a different value.
    /// </summary>
    private static IEnumerable<Report> RandomReports(int seed, int trials, int maxEpochs)
    {
        var random = new Random(seed);
        var running = new List<(int Index, int Epoch, int Last, double Start, double Rate)>();
        var next = 0;
        var reported = new List<Report>();
        while (next < trials || running.Count > 0)
        {
            while (running.Count < 4 && next < trials)
            {
                running.Add((next, 0, random.Next(6) == 0 ? random.Next(2, maxEpochs + 1) : maxEpochs, random.NextDouble(), (random.NextDouble() - 0.3) / 5));
                next++;
            }

            var pick = random.Next(running.Count);
            var t = running[pick];
            if (reported.Count > 0 && random.Next(10) == 0)
            {
                var old = reported[random.Next(reported.Count)];
                yield return old with { Value = old.Value + 0.05 };
                continue;
            }

            var epoch = t.Epoch + 1;
            var value = random.Next(40) == 0 ? double.NaN : Math.Round(t.Start + (t.Rate * epoch) + (random.NextDouble() / 10), 2);
            var report = new Report($"t{t.Index}", t.Index, epoch, t.Last, value);
            reported.Add(report);
            yield return report;
            running[pick] = t with { Epoch = epoch };
            if (epoch == t.Last || random.Next(8) == 0)
            {
                running.RemoveAt(pick); // finished, or (as if pruned or failed) stopped early
            }
        }
    }
}

public sealed class GarnetEarlyTerminationStoreTests(GarnetServerFixture server)
    : EarlyTerminationStoreTests(server), IClassFixture<GarnetServerFixture>;

public sealed class RedisEarlyTerminationStoreTests(RedisServerFixture server)
    : EarlyTerminationStoreTests(server), IClassFixture<RedisServerFixture>;
