using System.Diagnostics;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>
/// Workers whose clocks disagree by two minutes (libfaketime shifts a real worker process's clock) share one store:
/// leases run on the store's clock, so no healthy trial is reaped, and a dead worker's trial is still reaped within
/// its lease plus a margin.
/// </summary>
// Slow: three real worker processes train a sweep; one is killed with SIGKILL.
[Trait("Category", "Slow")]
public sealed class ClockSkewTests(ITestOutputHelper output) : OwnStoreAndFolder<GarnetServerFixture>("experiments-skew-")
{
    private const string FakeTimeLibrary = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
    // Far below the 60 s skews, so a reaper on a worker's own clock would still show (at once, or only after 90 s);
    // long enough that renewals starved by a loaded machine (three trainers beside another test project) never lapse.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReapInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Beyond lease + reap interval: a reaper tick delayed by a busy machine, and this test's polling; still short of
    /// the 90 s a reaper on the clock a minute behind would take.
    /// </summary>
    private static readonly TimeSpan ReapMargin = TimeSpan.FromSeconds(25);


    [SkippableFact]
    public async Task WorkersSixtySecondsAheadAndBehindReapNoHealthyTrialAndADeadOnesTrialIsReapedInTime()
    {
        if (!File.Exists(FakeTimeLibrary))
        {
            var reason = $"{FakeTimeLibrary} is missing (apt-get install -y faketime)";
            if (Environment.GetEnvironmentVariable(StoreServer.RequireExternalsVariable) == "1" || Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException(reason + "; CI must run this test.");
            }

            Skip.If(true, reason);
        }

        Skip.If(Store.UnavailableReason is not null, Store.UnavailableReason);
        var store = new SweepStore(Store.Connection, new StoreOptions(), TimeProvider.System);
        var submitted = await store.SubmitAsync(SyntheticSweeps.Plan("skew", trials: 6, epochs: 2), traceParent: null);
        using var fleet = new WorkerFleet(Store.ConnectionString, WorkDirectory, maxAttempts: 3);
        var storeStart = await StoreNowAsync();

        // The skewed workers start first and must each claim a trial, so each holds a lease the other could reap.
        var ahead = fleet.StartOne(Skewed("+60s"));
        var behind = fleet.StartOne(Skewed("-60s"));
        var aheadTrial = await HeldByAsync(store, submitted, fleet, ahead);
        var behindTrial = await HeldByAsync(store, submitted, fleet, behind);
        var storeAfterClaims = await StoreNowAsync();
        var normal = fleet.StartOne(Skewed(null));
        await HeldByAsync(store, submitted, fleet, normal);
        output.WriteLine($"ahead {ahead.Id} holds {aheadTrial.Id}, behind {behind.Id} holds {behindTrial.Id}, normal {normal.Id}; claims within {storeAfterClaims - storeStart}");

        // The clocks really are shifted: each skewed worker stamps its attempt's start with its own clock (the claims
        // happened between storeStart and storeAfterClaims by the store's clock).
        Assert.True(aheadTrial.Attempts[^1].StartedAt > storeStart + TimeSpan.FromSeconds(45), $"ahead worker's clock: {aheadTrial.Attempts[^1].StartedAt:O}, store {storeStart:O}");
        Assert.True(behindTrial.Attempts[^1].StartedAt < storeAfterClaims - TimeSpan.FromSeconds(45), $"behind worker's clock: {behindTrial.Attempts[^1].StartedAt:O}, store {storeAfterClaims:O}");

        // Every reaper runs a round a second over the others' leases while all three train; the worker behind dies
        // mid-trial (once it has trained an epoch under its skewed clock), and the others (one of them a minute ahead)
        // reap it after its lease. Its victim is whichever trial it holds then: on a loaded machine a store stall may
        // have interrupted its first attempt (an interruption, requeued at once, is not a reap).
        await Eventually.UntilAsync(
            () => store.GetTrialAsync(behindTrial.Id),
            t => t!.Status != TrialStatus.Running || t.LastEpoch >= 1,
            $"{behindTrial.Id} to record its first epoch",
            timeout: TimeSpan.FromMinutes(5));
        var held = await Eventually.UntilAsync(
            () => store.GetTrialsAsync(submitted.SweepId),
            trials => behind.HasExited || trials.Any(t => MidTrial(t, fleet, behind)),
            $"worker {behind.Id} to hold a trial after its first epoch",
            timeout: TimeSpan.FromMinutes(3),
            interval: TimeSpan.FromMilliseconds(100));
        Assert.False(behind.HasExited, Describe(held, fleet));
        var victimTrial = held.First(t => MidTrial(t, fleet, behind));
        behind.KillHard();
        var sinceKill = Stopwatch.StartNew();
        var afterKill = await store.GetTrialsAsync(submitted.SweepId);
        Assert.False(afterKill.Any(t => t.Attempts.Any(a => a.Outcome == "LeaseExpired")), Describe(afterKill, fleet));
        // Killed seconds before its last epoch could end: the trial is still the dead worker's.
        Assert.True(afterKill.Any(t => t.Id == victimTrial.Id && t.Status == TrialStatus.Running && t.Attempt == victimTrial.Attempt), Describe(afterKill, fleet));
        var reaped = await Eventually.UntilAsync(
            () => store.GetTrialAsync(victimTrial.Id),
            t => t!.Attempts.Any(a => a.Attempt == victimTrial.Attempt && a.Outcome == "LeaseExpired"),
            $"{victimTrial.Id} to be reaped after its worker was killed",
            interval: TimeSpan.FromMilliseconds(100));
        output.WriteLine($"{victimTrial.Id} reaped {sinceKill.Elapsed.TotalSeconds:0.0} s after the kill (lease {Lease.TotalSeconds:0} s)");
        Assert.True(sinceKill.Elapsed <= Lease + ReapInterval + ReapMargin, $"reaped only after {sinceKill.Elapsed}");

        var done = await Eventually.UntilAsync(
            () => store.GetTrialsAsync(submitted.SweepId),
            trials => trials.All(t => t.Status == TrialStatus.Completed) || trials.Any(t => t.Status is TrialStatus.Failed or TrialStatus.Diverged),
            "every trial to complete",
            timeout: TimeSpan.FromMinutes(8),
            interval: TimeSpan.FromSeconds(1));
        Assert.All(done, t => Assert.Equal(TrialStatus.Completed, t.Status));
        // The only lapsed lease is the killed worker's.
        var lapsed = done.SelectMany(t => t.Attempts.Where(a => a.Outcome == "LeaseExpired").Select(a => (t.Id, a.Attempt))).ToList();
        Assert.Equal([(victimTrial.Id, victimTrial.Attempt)], lapsed);
        foreach (var trial in done)
        {
            Assert.Equal([1, 2], (await store.GetEpochsAsync(trial.Id)).Select(e => e.Epoch));
        }
    }

    private protected override GarnetServerFixture CreateStore() => new();

    /// <summary>
    /// libfaketime shifts the clocks by a constant; only the wall clock's shift is seen (the runtime's timers measure
    /// monotonic differences). FAKETIME_FORCE_MONOTONIC_FIX is needed: without it libfaketime 0.9.10 returns every
    /// timed wait on a monotonic condition variable at once (Thread.Sleep(1000) and the store client's synchronous
    /// timeouts took 0 ms), and a skewed worker lost every lease for that reason, not because of its clock.
    /// </summary>
    private static Dictionary<string, string> Skewed(string? offset) => offset is null
        ? new() { ["Store__LeaseDuration"] = Lease.ToString(), ["Worker__ReapInterval"] = ReapInterval.ToString() }
        : new()
        {
            ["Store__LeaseDuration"] = Lease.ToString(),
            ["Worker__ReapInterval"] = ReapInterval.ToString(),
            ["LD_PRELOAD"] = FakeTimeLibrary,
            ["FAKETIME"] = offset,
            ["FAKETIME_FORCE_MONOTONIC_FIX"] = "1",
        };

    /// <summary>Held by the worker with an epoch still to train (its last one takes seconds), so a kill now leaves it orphaned.</summary>
    private static bool MidTrial(TrialRecord trial, WorkerFleet fleet, ChildProcess worker) =>
        trial.Status == TrialStatus.Running && fleet.FindByOwner(trial.Owner) == worker && trial.LastEpoch < trial.Config.Epochs;

    private static string Describe(IReadOnlyList<TrialRecord> trials, WorkerFleet fleet) =>
        string.Join("\n", trials.Select(t => $"{t.Id} {t.Status} owner {t.Owner}: " + string.Join("; ", t.Attempts.Select(a => $"#{a.Attempt} {a.Worker} {a.Outcome} {a.Reason}"))))
        + "\n" + string.Join("\n", fleet.All.Select(w => $"--- {w.LogPath}\n" + string.Join("\n", File.ReadLines(w.LogPath).TakeLast(15))));

    private static async Task<TrialRecord> HeldByAsync(SweepStore store, SubmittedSweep sweep, WorkerFleet fleet, ChildProcess worker)
    {
        var trials = await Eventually.UntilAsync(
            () => store.GetTrialsAsync(sweep.SweepId),
            trials => worker.HasExited || trials.Any(t => t.Status == TrialStatus.Running && fleet.FindByOwner(t.Owner) == worker),
            $"worker {worker.Id} to hold a trial ({worker.LogPath})",
            timeout: TimeSpan.FromMinutes(3));
        Assert.False(worker.HasExited, $"worker {worker.Id} exited; see {worker.LogPath}");
        return trials.First(t => t.Status == TrialStatus.Running && fleet.FindByOwner(t.Owner) == worker);
    }

    private async Task<DateTimeOffset> StoreNowAsync()
    {
        var reply = (RedisResult[])(await Store.Connection.GetDatabase().ExecuteAsync("TIME"))!;
        return DateTimeOffset.FromUnixTimeMilliseconds(((long)reply[0] * 1000) + ((long)reply[1] / 1000));
    }
}
