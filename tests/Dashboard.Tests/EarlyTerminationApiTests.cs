using System.Net;
using System.Text;
using System.Text.Json;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// An ASHA sweep submitted through the API, two of its trials reported by a worker's queue on the same store: the
/// API counts the pruned one and shows every decision with its reason.
/// </summary>
public sealed class EarlyTerminationApiTests : DashboardOverGarnet
{
    [Fact]
    public async Task ThePrunedTrialIsCountedAndEachDecisionIsShownWithItsReason()
    {
        using var client = App.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", DashboardApp.ApiKey);
        using var submit = await client.PostAsync("/api/sweeps", new StringContent(
            File.ReadAllText(RepositoryPaths.SweepFile("asha-synthetic.yaml")), Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, submit.StatusCode);
        var sweepId = JsonDocument.Parse(await submit.Content.ReadAsStringAsync()).RootElement.GetProperty("sweep_id").GetString()!;

        var queue = new TrialQueue(Store.Connection, new StoreOptions(), TimeProvider.System);
        var leader = (await queue.TryClaimAsync("worker-1"))!;
        var loser = (await queue.TryClaimAsync("worker-2"))!;
        var policy = await queue.GetEarlyTerminationAsync(sweepId, leader.Config);
        static EpochMetrics Loss(double valLoss) => new(1, 2.0, 0.2, valLoss, 0.2, 1e-3, 1.0, 100);
        await queue.RecordEpochAsync(leader, Loss(2.0), policy);
        var pruned = await queue.RecordEpochAsync(loser, Loss(2.5), policy);
        await queue.FinishAsync(loser, TrialOutcome.Pruned(policy!.Describe(pruned.Decision!), []));

        using var sweeps = JsonDocument.Parse(await client.GetStringAsync("/api/sweeps"));
        var status = sweeps.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == sweepId).GetProperty("status");
        Assert.Equal((1, 1, 4), (status.GetProperty("pruned").GetInt32(), status.GetProperty("running").GetInt32(), status.GetProperty("queued").GetInt32()));

        using var sweep = JsonDocument.Parse(await client.GetStringAsync($"/api/sweeps/{sweepId}"));
        var rule = sweep.RootElement.GetProperty("sweep").GetProperty("early_termination");
        Assert.Equal(("asha", 1, 3, 4), (rule.GetProperty("type").GetString(), rule.GetProperty("min_epochs").GetInt32(), rule.GetProperty("reduction_factor").GetInt32(), rule.GetProperty("max_epochs").GetInt32()));

        using var trial = JsonDocument.Parse(await client.GetStringAsync($"/api/trials/{loser.TrialId}"));
        const string reason = "rung 0 (epoch 1): val_loss 2.5 is not the best of 2 results so far (fewer than 3: only the best continues, cut 2)";
        Assert.Equal("pruned", trial.RootElement.GetProperty("trial").GetProperty("status").GetString());
        Assert.Equal(reason, trial.RootElement.GetProperty("trial").GetProperty("reason").GetString());
        var decision = Assert.Single(trial.RootElement.GetProperty("early_termination").EnumerateArray());
        Assert.Equal(("prune", "rung", 1, 0, 2.5, 2.0, reason), (
            decision.GetProperty("verdict").GetString(), decision.GetProperty("basis").GetString(), decision.GetProperty("epoch").GetInt32(),
            decision.GetProperty("rung").GetInt32(), decision.GetProperty("value").GetDouble(), decision.GetProperty("cut").GetDouble(),
            decision.GetProperty("reason").GetString()));
    }
}
