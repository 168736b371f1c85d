using Experiments.Core.Queue;
using Experiments.Core.Records;

namespace Experiments.Core.Tests.Queue;

public abstract partial class QueueConformanceTests
{
    [SkippableFact]
    public async Task ClaimsRacingCancelsLeaveEveryTrialConsistent()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(150), null);
        var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Server.ConnectAsync()));
        try
        {
            // Two workers claim while two users cancel the same trials, each on its own connection.
            async Task Claim(TrialQueue queue, string worker)
            {
                while (await queue.TryClaimAsync(worker) is not null)
                {
                }
            }

            async Task Cancel(SweepStore store, IEnumerable<string> trialIds)
            {
                foreach (var trialId in trialIds)
                {
                    await store.CancelTrialAsync(trialId);
                }
            }

            await Task.WhenAll(
                Claim(h.QueueOn(connections[0]), "worker-a"),
                Claim(h.QueueOn(connections[1]), "worker-b"),
                Cancel(new SweepStore(connections[2], h.Options, h.Time), sweep.TrialIds.Where((_, i) => i % 2 == 0)),
                Cancel(new SweepStore(connections[3], h.Options, h.Time), sweep.TrialIds.Reverse()));

            // A trial was either claimed first (Running, flagged if a cancel came later) or cancelled while queued.
            var trials = await h.Store.GetTrialsAsync(sweep.SweepId);
            var database = h.Connection.GetDatabase();
            var leased = (await database.SortedSetRangeByRankAsync($"{h.Options.KeyPrefix}leases")).Select(v => (string)v!).ToHashSet();
            Assert.All(trials, t =>
            {
                if (t.Status == TrialStatus.Running)
                {
                    Assert.Equal((1, 1, true), (t.Attempt, t.Attempts.Count, leased.Contains(t.Id)));
                    Assert.NotNull(t.Owner);
                }
                else
                {
                    Assert.Equal(TrialStatus.Cancelled, t.Status);
                    Assert.Equal((0, 0, false, null), (t.Attempt, t.Attempts.Count, leased.Contains(t.Id), t.Owner));
                }
            });
            Assert.Equal(trials.Count(t => t.Status == TrialStatus.Running), leased.Count);
            Assert.Equal(0, await h.Store.QueueDepthAsync());

            var counts = (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.StatusCounts;
            Assert.Equal(trials.Count(t => t.Status == TrialStatus.Running), counts[TrialStatus.Running]);
            Assert.Equal(trials.Count(t => t.Status == TrialStatus.Cancelled), counts[TrialStatus.Cancelled]);
            Assert.Equal(0, counts[TrialStatus.Queued]);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
