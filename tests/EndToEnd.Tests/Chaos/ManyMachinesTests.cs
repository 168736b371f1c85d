using System.Diagnostics;
using System.Net;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using Xunit.Abstractions;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>
/// Workers on machines of their own (network namespaces joined by veth links) share a sweep through the embedded store
/// listening on the host's side of one link, and their checkpoints through one shared folder, as an NFS mount would be.
/// One worker is killed mid-trial and a new one started on its machine, as that machine's supervisor would; another
/// machine's link is cut mid-trial and brought back. Every trial completes exactly once.
/// </summary>
// Slow: real worker processes train a sweep on three links' worth of faults.
[Trait("Category", "Slow")]
public sealed class ManyMachinesTests(ITestOutputHelper output) : OwnStoreAndFolder<GarnetServerFixture>("experiments-machines-")
{
    private const int Epochs = 3;

    /// <summary>Long enough that a busy machine's healthy worker keeps its lease; short enough to reap in seconds.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    private TestNetwork? _network;
    private WorkerFleet? _fleet;
    private string? _unavailableReason;

    [SkippableFact]
    public async Task WorkersOnOtherMachinesKilledOrCutOffMidTrialCompleteEveryTrialExactlyOnce()
    {
        Skip.If(_network is null, _unavailableReason);
        Skip.If(Store.UnavailableReason is not null, Store.UnavailableReason);
        Assert.False(IPAddress.IsLoopback(Store.Address));
        var (killed, cutOff) = (_network.Machines[0], _network.Machines[1]);
        var store = new SweepStore(Store.Connection, new StoreOptions(), TimeProvider.System);
        var submitted = await store.SubmitAsync(SyntheticSweeps.Plan("machines", trials: 5, epochs: Epochs, syntheticSize: 64), traceParent: null);
        // One checkpoint folder for every machine, as a shared mount: a trial resumes wherever it is claimed next.
        _fleet = new WorkerFleet(Store.ConnectionString, WorkDirectory, maxAttempts: 3);
        var environment = new Dictionary<string, string> { ["Store__LeaseDuration"] = Lease.ToString() };
        var onKilled = _fleet.StartOne(environment, killed.Launcher);
        var onCutOff = _fleet.StartOne(environment, cutOff.Launcher);
        output.WriteLine($"store on {Store.Address}:{Store.Port}; {killed.Namespace} at {killed.Address} runs worker {onKilled.Id}, {cutOff.Namespace} at {cutOff.Address} runs worker {onCutOff.Id}");

        (string Trial, int Attempt)? kill = null;
        (string Trial, int Attempt)? cut = null;
        var linkDown = false;
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var trials = await store.GetTrialsAsync(submitted.SweepId);
                if (trials.All(t => t.Status == TrialStatus.Completed))
                {
                    break;
                }

                Assert.True(clock.Elapsed < Timeout, "Not done in time:\n" + Describe(trials, _fleet));
                Assert.DoesNotContain(trials, t => t.Status is TrialStatus.Failed or TrialStatus.Diverged or TrialStatus.Cancelled);

                // A fault counts only if it landed mid-trial: a trial that completed before it happened is tried again.
                if (kill is { } k && Ended(trials, k) == Completed)
                {
                    kill = null;
                }

                if (cut is { } c && Ended(trials, c) is { } cutEnd)
                {
                    cut = cutEnd == Completed ? null : cut;
                    if (linkDown)
                    {
                        // The attempt it held was reaped (or completed before the cut bit): the machine comes back.
                        TestNetwork.Restore(cutOff);
                        linkDown = false;
                        output.WriteLine($"{clock.Elapsed:mm\\:ss} link of {cutOff.Namespace} up again ({c.Trial} #{c.Attempt} ended {cutEnd})");
                    }
                }

                if (kill is null && MidTrial(trials, onKilled) is { } victim)
                {
                    onKilled.KillHard();
                    kill = (victim.Id, victim.Attempt);
                    output.WriteLine($"{clock.Elapsed:mm\\:ss} kill -9 worker {onKilled.Id} in {killed.Namespace} holding {victim.Id} #{victim.Attempt} after epoch {victim.LastEpoch}");
                    // That machine's supervisor starts a new worker there.
                    onKilled = _fleet.StartOne(environment, killed.Launcher);
                }

                if (cut is null && !linkDown && MidTrial(trials, onCutOff) is { } isolated)
                {
                    TestNetwork.Cut(cutOff);
                    linkDown = true;
                    cut = (isolated.Id, isolated.Attempt);
                    output.WriteLine($"{clock.Elapsed:mm\\:ss} link of {cutOff.Namespace} down; worker {onCutOff.Id} holds {isolated.Id} #{isolated.Attempt} after epoch {isolated.LastEpoch}");
                }

                Assert.False(onCutOff.HasExited, $"worker {onCutOff.Id} exited; see {onCutOff.LogPath}");
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
        finally
        {
            if (linkDown)
            {
                TestNetwork.Restore(cutOff);
            }
        }

        var done = await store.GetTrialsAsync(submitted.SweepId);
        var report = Describe(done, _fleet);
        output.WriteLine($"{clock.Elapsed:mm\\:ss} all {done.Count} trials completed\n{report}");
        Assert.True(kill is not null, "No worker was killed mid-trial: the sweep finished first, and the test proved too little.\n" + report);
        Assert.True(cut is not null, "No link was cut mid-trial: the sweep finished first, and the test proved too little.\n" + report);
        foreach (var trial in done)
        {
            Assert.Equal(TrialStatus.Completed, trial.Status);
            Assert.Equal(Enumerable.Range(1, Epochs), (await store.GetEpochsAsync(trial.Id)).Select(e => e.Epoch));
            Assert.Single(trial.Attempts, a => a.Outcome == Completed);
            // What the faults ended are interruptions (a lost worker, a store it could not reach), never the trial's failures.
            Assert.All(trial.Attempts.Where(a => a.Outcome != Completed), a => Assert.Contains(a.Outcome, InterruptionOutcomes));
            Assert.Equal(0, trial.Failures);
        }

        Assert.Equal(LeaseExpired, Ended(done, kill!.Value));
        Assert.Contains(Ended(done, cut!.Value), InterruptionOutcomes);

        // Both faulted trials resumed from the checkpoint their earlier attempt left in the shared folder.
        var logs = string.Join("\n", _fleet.All.Select(w => File.ReadAllText(w.LogPath)));
        foreach (var faulted in new[] { kill.Value.Trial, cut.Value.Trial })
        {
            Assert.Matches($"Trial {faulted} resumed after epoch [1-9]", logs);
        }
    }

    private protected override GarnetServerFixture? CreateStore()
    {
        if ((_unavailableReason = TestNetwork.UnavailableReason()) is { } reason)
        {
            if (Environment.GetEnvironmentVariable(StoreServer.RequireExternalsVariable) == "1" || Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException($"{reason}; CI must run this test.");
            }

            return null;
        }

        _network = TestNetwork.Create(count: 2);
        // The store listens only on the host's side of the first link: the test network's, never this host's own.
        return new GarnetServerFixture(_network.Machines[0].HostAddress);
    }

    // Processes first: a namespace with a process inside outlives its deletion.
    private protected override void StopBeforeStore() => _fleet?.Dispose();

    private protected override void CleanUpAfterStore() => _network?.Dispose();

    private const string Completed = nameof(OutcomeKind.Completed);

    /// <summary>A lost worker's attempt, ended by another's reaper.</summary>
    private const string LeaseExpired = "LeaseExpired";

    private static readonly string[] InterruptionOutcomes = [LeaseExpired, nameof(OutcomeKind.Interrupted)];

    /// <summary>The trial <paramref name="worker"/> holds after its first epoch and before its last, if any.</summary>
    private TrialRecord? MidTrial(IReadOnlyList<TrialRecord> trials, ChildProcess worker) =>
        trials.FirstOrDefault(t => t.Status == TrialStatus.Running && t.LastEpoch is >= 1 and < Epochs && _fleet!.FindByOwner(t.Owner) == worker);

    private static string? Ended(IReadOnlyList<TrialRecord> trials, (string Trial, int Attempt) attempt) =>
        trials.First(t => t.Id == attempt.Trial).Attempts.FirstOrDefault(a => a.Attempt == attempt.Attempt)?.Outcome;

    private static string Describe(IReadOnlyList<TrialRecord> trials, WorkerFleet fleet) =>
        string.Join("\n", trials.Select(t => $"{t.Id} {t.Status} epoch {t.LastEpoch} owner {t.Owner}: " + string.Join("; ", t.Attempts.Select(a => $"#{a.Attempt} {a.Worker} {a.Outcome} {a.Reason}"))))
        + "\n" + string.Join("\n", fleet.All.Select(w => $"--- {w.LogPath}\n" + string.Join("\n", File.ReadLines(w.LogPath).TakeLast(15))));
}
