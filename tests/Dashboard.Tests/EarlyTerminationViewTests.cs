using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Experiments.Core.EarlyTermination;
using Experiments.Core.Records;
using Experiments.Dashboard.Components.Controls;
using Experiments.Dashboard.Components.Pages;
using Experiments.Dashboard.Security;
using Experiments.Dashboard.Ui.Charts;
using Experiments.Dashboard.Ui.Checkpoints;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Links;
using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Models;
using Microsoft.Extensions.DependencyInjection;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// A four-trial ASHA sweep (4 epochs, rungs at 1 and 3 under min 1, eta 3, max 4), val_accuracy maximised: trials 1
/// and 3 were pruned at epoch 1, trial 0 completed, trial 2 still runs.
/// </summary>
public sealed class EarlyTerminationViewTests : BunitContext
{
    private const string Reason = "rung 0 (epoch 1): val_accuracy 0.4 not in top 1/3 of 3 results (1 continue, cut 0.6)";
    private static readonly EarlyTerminationSpec Asha = new(EarlyTerminationType.Asha) { MaxEpochs = 4 };

    private static readonly SweepSnapshot Snapshot = new(
        Sweep("s1", 4) with { EarlyTermination = Asha },
        [
            new(Trial("s1", 0, Params(("lr", "0.1")), epochs: 4), Epochs(0.6, 0.7, 0.8, 0.85)),
            new(Trial("s1", 1, Params(("lr", "0.3")), TrialStatus.Pruned, epochs: 4) with { Reason = "first" }, Epochs(0.5)),
            new(Trial("s1", 2, Params(("lr", "0.03")), TrialStatus.Running, epochs: 4), Epochs(0.65, 0.66)),
            new(Trial("s1", 3, Params(("lr", "1.0")), TrialStatus.Pruned, epochs: 4) with { Reason = Reason }, Epochs(0.4)),
        ],
        Start);

    [Fact]
    public void StopsCutsAndEpochsSavedComeFromTheRecords()
    {
        var view = EarlyTerminationView.Build(Snapshot)!;

        Assert.Equal([new PrunedStop("s1-t1", 1, 1, "first"), new PrunedStop("s1-t3", 3, 1, Reason)], view.Stops);
        // Rung 0 holds four results (0.6, 0.5, 0.65, 0.4): one continues, the cut is the best. Rung 1 holds one.
        Assert.Equal([new RungCut(0, 0, 1, 4, 1, 0.65), new RungCut(0, 1, 3, 1, 1, 0.8)], view.Cuts);
        Assert.Equal((16, 6, 8), (view.EpochsIfAllRan, view.EpochsSaved, view.EpochsRun));
        Assert.Equal("6 of 16 epochs saved (38 %) by stopping 2 trials early", view.SavedText);
        Assert.Equal("ASHA: rungs at epochs 1, 3; top 1/3 on val_accuracy continue", view.Rule);
    }

    [Fact]
    public void ASweepWithoutARuleHasNoView() =>
        Assert.Null(EarlyTerminationView.Build(Snapshot with { Sweep = Snapshot.Sweep with { EarlyTermination = null } }));

    [Fact]
    public void CurvesMarkWhereEachPrunedTrialStoppedAndDrawTheRungCutsOnTheSweepsMetric()
    {
        var view = EarlyTerminationView.Build(Snapshot)!;

        var figure = JsonSerializer.SerializeToElement(LearningCurves.Build(Snapshot.Trials, ["lr"], EpochSeries.ValAccuracy, false, "s1-t0", earlyTermination: view, objective: "val_accuracy"));

        var traces = figure.GetProperty("Data").EnumerateArray().ToList();
        var stops = traces.Single(t => t.GetProperty("name").GetString() == "pruned (stopped here)");
        Assert.Equal([1.0, 1.0], stops.GetProperty("x").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal([0.5, 0.4], stops.GetProperty("y").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Contains("#3 pruned: " + Reason, stops.GetProperty("text").EnumerateArray().Select(x => x.GetString()));
        var cuts = traces.Single(t => t.GetProperty("name").GetString() == "rung cut");
        Assert.Equal([0.65, 0.8], cuts.GetProperty("y").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal("rung 0 (epoch 1): 1 of 4 continue, cut 0.65", cuts.GetProperty("text")[0].GetString());
        Assert.Equal([1, 3], figure.GetProperty("Layout").GetProperty("shapes").EnumerateArray().Select(s => s.GetProperty("x0").GetInt32()));

        // Another metric, or wall time on x, keeps the stops but has no rung cuts to show.
        var byLoss = JsonSerializer.SerializeToElement(LearningCurves.Build(Snapshot.Trials, ["lr"], EpochSeries.ValLoss, false, "s1-t0", earlyTermination: view, objective: "val_accuracy"));
        Assert.DoesNotContain(byLoss.GetProperty("Data").EnumerateArray(), t => t.GetProperty("name").GetString() == "rung cut");
        Assert.Contains(byLoss.GetProperty("Data").EnumerateArray(), t => t.GetProperty("name").GetString() == "pruned (stopped here)");
    }

    [Fact]
    public void PrunedStatusStandsOutFromTheOtherFinalStates()
    {
        var pruned = Render<StatusBadge>(p => p.Add(b => b.Status, TrialStatus.Pruned));
        var bar = Render<StatusBar>(p => p.Add(b => b.Counts, new Dictionary<TrialStatus, int> { [TrialStatus.Completed] = 1, [TrialStatus.Pruned] = 2 }));

        Assert.Equal("pruned", pruned.Find(".status-pruned").TextContent);
        Assert.Single(bar.FindAll(".status-bg-pruned"));
        Assert.Contains("2 pruned", bar.Find(".statusbar").GetAttribute("title"));
        var css = File.ReadAllText(Path.Combine(Experiments.Tests.Shared.RepositoryPaths.Root, "Dashboard", "wwwroot", "app.css"));
        Assert.Contains(".status-pruned { color: var(--surface); background: var(--pruned);", css, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepPageShowsTheRuleEpochsSavedAndWhereEachPrunedTrialStopped()
    {
        var store = new InMemoryDashboardStore();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddLogging();
        Services.AddSingleton<IDashboardStore>(store);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<LiveFeed>();
        Services.AddSingleton<StoreReachability>();
        Services.AddOptions<DashboardOptions>();
        Services.AddSingleton<TraceLinks>();
        Services.AddSingleton<CheckpointList>();
        Services.AddSingleton(new Experiments.Core.Checkpoints.CheckpointStore(Path.Combine(Path.GetTempPath(), "et-view-" + Guid.NewGuid().ToString("N"))));
        Services.AddSingleton<SweepDeletion>();
        Services.AddSingleton(new Experiments.Core.Specs.SweepLimits());
        Services.AddSingleton<Experiments.Dashboard.Ui.Submit.SweepSubmission>();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        store.Add(Snapshot.Sweep, Snapshot.Trials.Select(t => (t.Record, t.Epochs)));

        var cut = Render<Sweep>(p => p.Add(s => s.Id, "s1"));

        cut.WaitForAssertion(() => Assert.Contains("6 of 16 epochs saved (38 %) by stopping 2 trials early", cut.Find(".early-card").TextContent));
        Assert.Contains("ASHA: rungs at epochs 1, 3", cut.Find(".early-card").TextContent);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".trial-table .status-pruned").Count));
        var stopped = cut.FindAll(".trial-table .pruned-at");
        Assert.Equal(["at epoch 1", "at epoch 1"], stopped.Select(s => s.TextContent));
        Assert.Contains(Reason, stopped.Select(s => s.GetAttribute("title")));
    }
}
