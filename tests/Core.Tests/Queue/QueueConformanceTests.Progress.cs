using Experiments.Core.Queue;
using Experiments.Core.Records;

namespace Experiments.Core.Tests.Queue;

/// <summary>In-epoch progress rides on the lease renewal: the same script, the same fence.</summary>
public abstract partial class QueueConformanceTests
{
    private static TrialProgress Progress(long batch, double loss = 1.5) => new(0, 2, 3, batch, 40, loss, 250, batch * 0.5);

    [SkippableFact]
    public async Task ARenewalStoresTheAttemptsProgressOnTheTrialAndInItsSweepSummary()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(2), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Null((await h.Store.GetTrialAsync(lease.TrialId))!.Progress);
        Assert.Empty((await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.Running);

        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(lease, Progress(10)));
        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(lease, Progress(12, loss: 1.25)));

        // The latest report, stamped with the attempt and trial it belongs to.
        var expected = Progress(12, loss: 1.25) with { Attempt = 1, TrialId = lease.TrialId };
        Assert.Equal(expected, (await h.Store.GetTrialAsync(lease.TrialId))!.Progress);
        Assert.Equal([expected], (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.Running);
        Assert.Equal([expected], (await h.Store.ListSweepsAsync()).Single().Running);

        // A renewal without a report keeps the last one.
        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(lease));
        Assert.Equal(expected, (await h.Store.GetTrialAsync(lease.TrialId))!.Progress);
    }

    [SkippableFact]
    public async Task AStaleAttemptsProgressIsRefusedWithItsRenewal()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var zombie = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(zombie, Progress(30)));
        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());

        // Reaped: its progress went with its lease.
        Assert.Null((await h.Store.GetTrialAsync(zombie.TrialId))!.Progress);
        Assert.Empty((await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.Running);

        var current = (await h.Queue.TryClaimAsync("worker-2"))!;
        Assert.Equal(LeaseState.Lost, await h.Queue.RenewAsync(zombie, Progress(31)));
        Assert.Null((await h.Store.GetTrialAsync(current.TrialId))!.Progress);
        Assert.Empty((await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.Running);

        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(current, Progress(3)));
        Assert.Equal(LeaseState.Lost, await h.Queue.RenewAsync(zombie, Progress(32)));
        var shown = (await h.Store.GetTrialAsync(current.TrialId))!.Progress;
        Assert.Equal((2, 3L), (shown!.Attempt, shown.Batch));
        Assert.Equal([(2, 3L)], (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.Running.Select(p => (p.Attempt, p.Batch)));
    }

    [SkippableFact]
    public async Task FinishingAnAttemptClearsItsProgress()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(2), null);
        var failing = (await h.Queue.TryClaimAsync("worker-1"))!;
        var other = (await h.Queue.TryClaimAsync("worker-2"))!;
        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(failing, Progress(5)));
        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(other, Progress(7)));

        Assert.Equal(TrialStatus.Queued, await h.Queue.FinishAsync(failing, TrialOutcome.Failed("boom")));

        Assert.Null((await h.Store.GetTrialAsync(failing.TrialId))!.Progress);
        Assert.Equal([other.TrialId], (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.Running.Select(p => p.TrialId));

        Assert.Equal(TrialStatus.Completed, await h.Queue.FinishAsync(other, TrialOutcome.Completed([TestPlans.Evaluation()])));
        Assert.Null((await h.Store.GetTrialAsync(other.TrialId))!.Progress);
        Assert.Empty((await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.Running);
    }

    [SkippableFact]
    public async Task ADeletedSweepTakesNoProgressAndLeavesNoProgressKey()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(lease, Progress(5)));
        Assert.Contains($"sweep:{sweep.SweepId}:progress", await h.KeysAsync());

        Assert.NotNull(await h.Store.DeleteSweepAsync(sweep.SweepId));

        Assert.Equal(LeaseState.SweepDeleted, await h.Queue.RenewAsync(lease, Progress(6)));
        Assert.DoesNotContain(await h.KeysAsync(), key => key.Contains(sweep.SweepId, StringComparison.Ordinal));
    }
}
