using Experiments.Core.EarlyTermination;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using StackExchange.Redis;

namespace Experiments.Core.Tests.Queue;

/// <summary>Sweeps that grow: trials added atomically as the sweep's next indices, never a configuration twice.</summary>
public abstract partial class QueueConformanceTests
{
    /// <summary>A plan adding these trials, less the configurations the sweep already has (as the planner does).</summary>
    private static Func<SweepRecord, IReadOnlyList<TrialRecord>, GrowthPlan> Adding(IEnumerable<PlannedTrial> wanted, string? source = null) => (_, trials) =>
    {
        var have = trials.Select(t => t.Config).ToHashSet();
        var all = wanted.ToList();
        var added = all.Where(w => have.Add(w.Config)).ToList();
        return new GrowthPlan(added, all.Count - added.Count, source);
    };

    private static IEnumerable<PlannedTrial> Extra(int from, int count) => TestPlans.Create(from + count).Trials.Skip(from);

    [SkippableFact]
    public async Task AddedTrialsAreTheSweepsNextTrialsQueuedAndCountedAndTheEditedFileBecomesItsSource()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(2), null);

        var grown = await h.Store.AddTrialsAsync(sweep.SweepId, Adding(Extra(1, 3), source: "name: lr-sweep\n# edited\n"), null);

        Assert.Equal(new[] { $"{sweep.SweepId}-0002", $"{sweep.SweepId}-0003" }, grown!.AddedTrialIds);
        Assert.Equal((1, 4), (grown.AlreadyInSweep, grown.TrialCount));
        var stored = (await h.Store.GetSweepAsync(sweep.SweepId))!;
        Assert.Equal(4, stored.TrialIds.Count);
        Assert.Equal("name: lr-sweep\n# edited\n", stored.SourceText);
        Assert.Equal(4, (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.StatusCounts[TrialStatus.Queued]);
        var trials = await h.Store.GetTrialsAsync(sweep.SweepId);
        Assert.Equal(new[] { 0, 1, 2, 3 }, trials.Select(t => t.Index));
        Assert.Equal(Extra(2, 2).Select(t => t.Config), trials.Skip(2).Select(t => t.Config));
        var claimed = new List<string>();
        while (await h.Queue.TryClaimAsync("worker-1") is { } lease)
        {
            claimed.Add(lease.TrialId);
        }

        Assert.Equal(4, claimed.Count);
    }

    [SkippableFact]
    public async Task AddingOnlyConfigurationsTheSweepHasChangesNothingAndSaysHowMany()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(3), null);

        var grown = await h.Store.AddTrialsAsync(sweep.SweepId, Adding(Extra(0, 3)), null);

        Assert.Equal((0, 3, 3), (grown!.AddedTrialIds.Count, grown.AlreadyInSweep, grown.TrialCount));
        Assert.Equal(3, (await h.Store.GetSweepAsync(sweep.SweepId))!.TrialIds.Count);
        Assert.Equal("name: lr-sweep\nmethod: grid\n", (await h.Store.GetSweepAsync(sweep.SweepId))!.SourceText);
    }

    [SkippableFact]
    public async Task AFinishedSweepRunsAgainWhenTrialsAreAdded()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        await h.Queue.FinishAsync(lease, TrialOutcome.Completed([]));
        Assert.Equal(0, (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.StatusCounts[TrialStatus.Queued]);

        await h.Store.AddTrialsAsync(sweep.SweepId, Adding(Extra(1, 1)), null);

        var counts = (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.StatusCounts;
        Assert.Equal((1, 1), (counts[TrialStatus.Completed], counts[TrialStatus.Queued]));
        Assert.Equal($"{sweep.SweepId}-0001", (await h.Queue.TryClaimAsync("worker-1"))!.TrialId);
    }

    [SkippableFact]
    public async Task TwoCallersAddingTheSameConfigurationsAtOnceAddThemOnce()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(2), null);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => h.Store.AddTrialsAsync(sweep.SweepId, Adding(Extra(2, 3)), null))));

        Assert.Equal(3, results.Sum(r => r!.AddedTrialIds.Count));
        Assert.Single(results, r => r!.AddedTrialIds.Count == 3);
        Assert.All(results.Where(r => r!.AddedTrialIds.Count == 0), r => Assert.Equal(3, r!.AlreadyInSweep));
        var trials = await h.Store.GetTrialsAsync(sweep.SweepId);
        Assert.Equal(5, trials.Count);
        Assert.Equal(5, trials.Select(t => t.Config).Distinct().Count());
        Assert.Equal(5, (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.StatusCounts[TrialStatus.Queued]);
    }

    [SkippableFact]
    public async Task ADeletedOrCancelledSweepTakesNoTrialsAndAnUnknownOneIsNotFound()
    {
        var h = NewHarness();
        var deleted = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var cancelled = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        await h.Store.DeleteSweepAsync(deleted.SweepId);
        await h.Store.CancelSweepAsync(cancelled.SweepId);

        var gone = await Assert.ThrowsAsync<SweepClosedException>(() => h.Store.AddTrialsAsync(deleted.SweepId, Adding(Extra(1, 1)), null));
        var stopped = await Assert.ThrowsAsync<SweepClosedException>(() => h.Store.AddTrialsAsync(cancelled.SweepId, Adding(Extra(1, 1)), null));

        Assert.Contains("was deleted", gone.Message, StringComparison.Ordinal);
        Assert.Contains("was cancelled", stopped.Message, StringComparison.Ordinal);
        Assert.Single((await h.Store.GetSweepAsync(cancelled.SweepId))!.TrialIds);
        Assert.Null(await h.Store.AddTrialsAsync("sw-neversubmitted", Adding(Extra(1, 1)), null));
        Assert.Equal(0, await h.Store.QueueDepthAsync());
    }

    [SkippableFact]
    public async Task ACancelRacingAnAddCancelsTheAddedTrialsToo()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(2), null);

        // The cancel starts inside the add's plan, so it reads the sweep before the add writes; the add then lands
        // before the cancel's script (its trials must be cancelled too) or after it (refused): never a queued trial.
        Task<int>? cancel = null;
        try
        {
            await h.Store.AddTrialsAsync(sweep.SweepId, (s, trials) =>
            {
                cancel ??= h.Store.CancelSweepAsync(sweep.SweepId);
                return Adding(Extra(2, 2))(s, trials);
            }, null);
        }
        catch (SweepClosedException)
        {
        }

        await cancel!;

        var trials = await h.Store.GetTrialsAsync(sweep.SweepId);
        Assert.All(trials, t => Assert.Equal(TrialStatus.Cancelled, t.Status));
        Assert.Equal(trials.Count, (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.StatusCounts[TrialStatus.Cancelled]);
        Assert.Equal(0, await h.Store.QueueDepthAsync());
    }

    [SkippableFact]
    public async Task WhatACrashLeftOfAnAddIsNeitherClaimedNorShownAndTheNextAddReplacesIt()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        // The prefix a kill -9 can leave of an add: the trial and its queue entry, the sweep's count not yet raised.
        var leftover = $"{sweep.SweepId}-0001";
        var database = h.Connection.GetDatabase();
        await database.HashSetAsync((RedisKey)(h.Options.KeyPrefix + "trial:" + leftover),
            [new("sweep", sweep.SweepId), new("index", 1), new("config", "{}"), new("params", "{}"), new("status", "Queued"), new("attempt", 0), new("waiting", "stale note")]);
        await database.SortedSetAddAsync((RedisKey)(h.Options.KeyPrefix + "queue"), leftover, 0);

        Assert.Equal($"{sweep.SweepId}-0000", (await h.Queue.TryClaimAsync("worker-1"))!.TrialId);
        Assert.Null(await h.Queue.TryClaimAsync("worker-1"));
        Assert.Single(await h.Store.GetTrialsAsync(sweep.SweepId));

        var grown = await h.Store.AddTrialsAsync(sweep.SweepId, Adding(Extra(1, 1)), null);

        Assert.Equal(new[] { leftover }, grown!.AddedTrialIds);
        var added = (await h.Store.GetTrialAsync(leftover))!;
        Assert.Equal((Extra(1, 1).Single().Config, TrialStatus.Queued, (string?)null), (added.Config, added.Status, added.Waiting));
        Assert.Equal(leftover, (await h.Queue.TryClaimAsync("worker-2"))!.TrialId);
    }

    [SkippableFact]
    public async Task DeletingASweepPurgesWhatACrashLeftOfAnAdd()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        // Two trials of a three-trial add written, with their queue entries, before a kill -9; the count not raised.
        var database = h.Connection.GetDatabase();
        foreach (var leftover in new[] { $"{sweep.SweepId}-0001", $"{sweep.SweepId}-0002" })
        {
            await database.HashSetAsync((RedisKey)(h.Options.KeyPrefix + "trial:" + leftover),
                [new("sweep", sweep.SweepId), new("index", 1), new("config", "{}"), new("params", "{}"), new("status", "Queued"), new("attempt", 0)]);
            await database.SortedSetAddAsync((RedisKey)(h.Options.KeyPrefix + "queue"), leftover, 0);
        }

        Assert.NotNull(await h.Store.DeleteSweepAsync(sweep.SweepId));

        // Nothing of the sweep is left but its tombstone, as for a sweep no crash touched.
        var left = await h.KeysAsync();
        Assert.DoesNotContain(left, k => k.Contains(sweep.SweepId + "-", StringComparison.Ordinal));
        Assert.Equal(0, await database.SortedSetLengthAsync(h.Options.KeyPrefix + "queue"));
        Assert.Null(await h.Queue.TryClaimAsync("worker-1"));
    }

    [SkippableFact]
    public async Task AddedTrialsJoinTheSameRungsAsTheSweepsOthers()
    {
        var h = NewHarness();
        var (sweep, policy) = await SubmitAshaAsync(h, 2);
        var first = (await h.Queue.TryClaimAsync("worker-1"))!;
        var second = (await h.Queue.TryClaimAsync("worker-2"))!;
        await h.Queue.RecordEpochAsync(first, Accuracy(1, 0.6), policy);
        await h.Queue.RecordEpochAsync(second, Accuracy(1, 0.7), policy);

        await h.Store.AddTrialsAsync(sweep.SweepId, Adding(Extra(2, 1)), null);
        var added = (await h.Queue.TryClaimAsync("worker-3"))!;
        var addedPolicy = await h.Queue.GetEarlyTerminationAsync(sweep.SweepId, added.Config);
        var decision = (await h.Queue.RecordEpochAsync(added, Accuracy(1, 0.65), addedPolicy)).Decision!;

        // The third result at rung 0: 0.65 is not in the top 1/3 of 0.6, 0.7, 0.65.
        Assert.Equal((DecisionVerdict.Prune, 0, 3, 1, 0.7), (decision.Verdict, decision.Rung, decision.Count, decision.Kept, decision.Cut));
    }
}
