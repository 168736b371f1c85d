using Bunit;
using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Dashboard.Components.Pages;
using Experiments.Dashboard.Security;
using Experiments.Dashboard.Ui.Checkpoints;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Links;
using Experiments.Dashboard.Ui.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

/// <summary>Whole pages over the live feed and an in-memory store.</summary>
public sealed class PageTests : BunitContext
{
    private readonly InMemoryDashboardStore _store = new();
    private readonly string _checkpointRoot = Directory.CreateTempSubdirectory("dashboard-ckpt-").FullName;

    public PageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddLogging();
        Services.AddSingleton<IDashboardStore>(_store);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<LiveFeed>();
        Services.AddSingleton<StoreReachability>();
        Services.AddOptions<DashboardOptions>().Configure(o => o.TraceUrlTemplate = "http://aspire.local/traces/detail/{traceId}");
        Services.AddSingleton<TraceLinks>();
        Services.AddSingleton<CheckpointList>();
        Services.AddSingleton(new CheckpointStore(_checkpointRoot));
        Services.AddSingleton<SweepDeletion>();
        Services.AddSingleton(new Experiments.Core.Specs.SweepLimits());
        Services.AddSingleton<Experiments.Dashboard.Ui.Submit.SweepSubmission>();

        var confusion = new EvaluationReport("best", 3, 0.4, 0.9, 0.9, 0.9, 0.9,
            [new ClassMetrics("cat", 0.8, 0.9, 0.85, 10), new ClassMetrics("dog", 0.95, 0.85, 0.9, 10)],
            [[9, 1], [2, 8]],
            [new WrongPrediction(17, 0, "cat", 1, "dog", 0.97, 3.6), new WrongPrediction(4, 1, "dog", 0, "cat", 0.8, 1.7)]);
        _store.Add(Sweep("s1", 4),
        [
            (Trial("s1", 0, Params(("lr", "0.1"), ("seed", "0")), seed: 0), Epochs(0.5, 0.6, 0.62)),
            (Trial("s1", 1, Params(("lr", "0.1"), ("seed", "1")), seed: 1), Epochs(0.5, 0.64, 0.6)),
            (Trial("s1", 2, Params(("lr", "0.01"), ("seed", "0")), seed: 0, evaluations: [confusion]), Epochs(0.7, 0.9, 0.88)),
            (Trial("s1", 3, Params(("lr", "0.01"), ("seed", "1")), TrialStatus.Running, seed: 1, lastEpoch: 1), Epochs(0.6)),
        ]);
        // Rendered as the pages run: interactive on the server (the prerendered first HTML is PrerenderTests').
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void TrialPageListsEachEarlyTerminationDecisionWithItsRungValueCutoffAndOutcome()
    {
        const string reason = "rung 1 (epoch 3): val_accuracy 0.6 not in top 1/3 of 6 results (2 continue, cut 0.64)";
        _store.Decisions["s1-t1"] =
        [
            new TrialDecision(1, "continue", "rung", 0, 0, 0.5, 2, 1, 0.5, "rung 0 (epoch 1): val_accuracy 0.5 is the best of 2 results so far"),
            new TrialDecision(3, "prune", "rung", 0, 1, 0.6, 6, 2, 0.64, reason),
        ];

        var cut = Render<Trial>(p => p.Add(t => t.Id, "s1-t1"));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".decisions-table tbody tr").Count));
        var pruned = cut.Find(".decisions-table tr.decision-prune").QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal(new[] { "3", "1", "0.6", "0.64", "2 of 6 continue", "pruned", reason }, pruned);
        Assert.Empty(Render<Trial>(p => p.Add(t => t.Id, "s1-t0")).FindAll(".decisions-table"));
    }

    [Fact]
    public void SweepPageNamesTheBestTrialAndListsEveryTrial()
    {
        var cut = Render<Sweep>(p => p.Add(s => s.Id, "s1"));

        cut.WaitForAssertion(() => Assert.Contains("#2 lr=0.01 seed=0", cut.Find(".best-card").TextContent));
        Assert.Contains("90.00 %", cut.Find(".best-card").TextContent);
        Assert.Contains("ahead of the next by 26.00 pts", cut.Find(".best-card").TextContent);
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll(".trial-table tbody tr").Count));
    }

    [Fact]
    public async Task SweepPageUpdatesWhenARunningTrialRecordsAnEpoch()
    {
        var cut = Render<Sweep>(p => p.Add(s => s.Id, "s1"));
        cut.WaitForAssertion(() => Assert.Contains("1/5", cut.Find(".trial-table").TextContent));

        _store.RecordEpoch("s1-t3", new(2, 0.4, 0.9, 0.3, 0.95, 0.001, 10, 200));
        await Services.GetRequiredService<LiveFeed>().RefreshAsync(CancellationToken.None);

        cut.WaitForAssertion(() => Assert.Contains("2/5", cut.Find(".trial-table").TextContent));
        cut.WaitForAssertion(() => Assert.Contains("#3", cut.Find(".best-card").TextContent));
    }

    [Fact]
    public async Task SweepPageShowsARunningTrialsProgressInsideItsEpochAndMovesWithEachReport()
    {
        var cut = Render<Sweep>(p => p.Add(s => s.Id, "s1"));
        // One epoch of 10 s recorded, four to go: 40 s by epochs alone.
        cut.WaitForAssertion(() => Assert.Contains("ETA 40s", cut.Find(".trial-table").TextContent));

        // Epoch 2 at batch 100 of 400 after 50 s: 150 s left in it, then three epochs of the recorded 10 s.
        _store.ReportProgress("s1-t3", new TrialProgress(1, 2, 5, 100, 400, 1.2345, 256, 50));
        await Services.GetRequiredService<LiveFeed>().RefreshAsync(CancellationToken.None);

        cut.WaitForAssertion(() => Assert.Contains("ETA 3m 00s", cut.Find(".trial-table").TextContent));
        Assert.Contains("epoch 2/5 · batch 100/400 · loss 1.2345 · 256 img/s", cut.FindAll(".trial-table .progress").Select(p => p.GetAttribute("title")));

        _store.ReportProgress("s1-t3", new TrialProgress(1, 2, 5, 300, 400, 1.1, 256, 150));
        await Services.GetRequiredService<LiveFeed>().RefreshAsync(CancellationToken.None);

        cut.WaitForAssertion(() => Assert.Contains("ETA 1m 20s", cut.Find(".trial-table").TextContent));
    }

    [Fact]
    public void TrialPageShowsTheRunningEpochsBatchesLossAndEta()
    {
        _store.ReportProgress("s1-t3", new TrialProgress(1, 2, 5, 100, 400, 1.2345, 256, 50));

        var cut = Render<Trial>(p => p.Add(t => t.Id, "s1-t3"));

        cut.WaitForAssertion(() => Assert.Equal("epoch 2/5 · batch 100/400 · loss 1.2345 · 256 img/s", cut.Find(".trial-progress .batch-progress").TextContent));
        Assert.Equal("epoch ends in 2m 30s · trial in 3m 00s", cut.Find(".trial-progress .batch-eta").TextContent);
        // A quarter of epoch 2 of 5: 1.25 of 5 epochs.
        Assert.Equal("width:25%", cut.Find(".trial-progress .progress span").GetAttribute("style"));
    }

    [Fact]
    public void TrialPageShowsNoProgressForATrialThatIsNotRunning()
    {
        var cut = Render<Trial>(p => p.Add(t => t.Id, "s1-t2"));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".epoch-table")));
        Assert.Empty(cut.FindAll(".trial-progress"));
    }

    [Fact]
    public void SweepPageRequeuesAFailedTrialFromItsRow()
    {
        _store.SetStatus("s1-t1", TrialStatus.Failed);
        var cut = Render<Sweep>(p => p.Add(s => s.Id, "s1"));

        cut.WaitForAssertion(() => cut.FindAll(".trial-table button").Single(b => b.TextContent == "Requeue").Click());

        Assert.Equal(["s1-t1"], _store.Requeued);
    }

    [Fact]
    public async Task SweepPageDeletesTheSweepWithItsCheckpointsOnlyAfterConfirmation()
    {
        var checkpoints = Services.GetRequiredService<CheckpointStore>();
        checkpoints.Write("s1-t2", "best", s => s.WriteByte(1));
        checkpoints.Write("other-t0", "last", s => s.WriteByte(1));
        var cut = Render<Sweep>(p => p.Add(s => s.Id, "s1"));

        cut.WaitForAssertion(() => cut.FindAll("button").Single(b => b.TextContent == "Delete sweep…").Click());
        cut.WaitForAssertion(() =>
        {
            var dialog = cut.Find("[role=alertdialog]");
            Assert.Contains("Delete sweep “sweep-s1”?", dialog.TextContent);
            Assert.Contains("Its 4 trials with their records, metrics and checkpoints are deleted for good.", dialog.TextContent);
        });
        cut.WaitForAssertion(() => cut.FindAll("[role=alertdialog] button").Single(b => b.TextContent == "Keep it").Click());

        Assert.Empty(cut.FindAll("[role=alertdialog]"));
        Assert.NotNull(await _store.GetSweepAsync("s1", CancellationToken.None));

        // The live feed may re-render the page between steps: find each button afresh.
        cut.WaitForAssertion(() => cut.FindAll("button").Single(b => b.TextContent == "Delete sweep…").Click());
        cut.WaitForAssertion(() => cut.FindAll("[role=alertdialog] button").Single(b => b.TextContent == "Delete sweep").Click());

        cut.WaitForAssertion(() => Assert.EndsWith("/", Services.GetRequiredService<NavigationManager>().Uri));
        Assert.Null(await _store.GetSweepAsync("s1", CancellationToken.None));
        Assert.Null(await _store.GetTrialAsync("s1-t2", CancellationToken.None));
        Assert.Equal(["other-t0"], checkpoints.TrialIds());
    }

    [Fact]
    public void TrialPageShowsWhyAQueuedTrialHasNotStarted()
    {
        var waiting = TestData.Trial("s2", 0, Params(("lr", "0.1")), TrialStatus.Queued) with
        {
            Waiting = "waiting: checkpoint volume has 67.1 MB free, needs 1.3 GB (2 x 171 MB checkpoints, 1.0 GB kept free)",
            WaitingSince = TestData.Start,
        };
        _store.Add(Sweep("s2", 1), [(waiting, Epochs())]);

        var cut = Render<Trial>(p => p.Add(t => t.Id, "s2-t0"));

        cut.WaitForAssertion(() => Assert.StartsWith(
            "waiting: checkpoint volume has 67.1 MB free, needs 1.3 GB (2 x 171 MB checkpoints, 1.0 GB kept free) (since ",
            cut.Find(".notice.waiting").TextContent));
    }

    [Fact]
    public void SweepPageGroupsOverSeeds()
    {
        var cut = Render<Sweep>(p => p.Add(s => s.Id, "s1"));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".tab")));
        cut.FindAll(".tab").Single(t => t.TextContent == "Group over seeds").Click();

        // The tabs render before the live feed's first snapshot arrives: the groups fill in when it does.
        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll(".seed-groups tbody tr");
            Assert.Equal(2, rows.Count);
            Assert.Contains("lr=0.01", rows[0].TextContent);
            Assert.Contains("75.00 ± 21.21", rows[0].TextContent);
        });
    }

    [Fact]
    public void TrialPageShowsTraceLinkConfusionMatrixAndPerClassMetrics()
    {
        var cut = Render<Trial>(p => p.Add(t => t.Id, "s1-t2"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".epoch-table")));

        var trace = cut.FindAll("a").Single(a => a.TextContent == "View trace");
        Assert.Equal("http://aspire.local/traces/detail/0af7651916cd43dd8448eb211c80319c", trace.GetAttribute("href"));
        Assert.Single(cut.FindAll(".confusion-matrix"));
        Assert.Equal(2, cut.FindAll(".class-metrics tbody tr").Count);
        Assert.Equal(3, cut.FindAll(".epoch-table tbody tr").Count);
    }

    [Fact]
    public void TrialPageShowsTheTestImagesItGotMostWrongWithTrueAndPredictedClass()
    {
        var cut = Render<Trial>(p => p.Add(t => t.Id, "s1-t2"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".most-wrong")));

        var tiles = cut.FindAll(".most-wrong .image-tile");
        Assert.Equal(2, tiles.Count);
        Assert.Equal("/api/trials/s1-t2/most-wrong/best/0.png", tiles[0].QuerySelector("img")!.GetAttribute("src"));
        Assert.Equal("/api/trials/s1-t2/most-wrong/best/1.png", tiles[1].QuerySelector("img")!.GetAttribute("src"));
        Assert.Equal("cat", tiles[0].QuerySelector(".true-class")!.TextContent);
        Assert.Equal("→ dog 97.00 %", tiles[0].QuerySelector(".predicted-class")!.TextContent.Trim());
        Assert.Contains("test image 17", tiles[0].QuerySelector("img")!.GetAttribute("alt"), StringComparison.Ordinal);
        // A trial without an evaluation shows none.
        Assert.Empty(Render<Trial>(p => p.Add(t => t.Id, "s1-t0")).FindAll(".most-wrong"));
    }

    [Fact]
    public void TrialPageLinksItsDataSetsImagesAndShowsItsFirstAugmentedBatchOnceWritten()
    {
        var before = Render<Trial>(p => p.Add(t => t.Id, "s1-t1"));
        before.WaitForAssertion(() => Assert.NotEmpty(before.FindAll(".trial-data")));
        Assert.Empty(before.FindAll(".augmented-batch"));
        Assert.Equal("datasets/cifar10", before.Find(".trial-data a").GetAttribute("href"));

        new CheckpointStore(_checkpointRoot).WriteImage("s1-t1", AugmentedBatch.ImageName, [1, 2, 3]);
        var after = Render<Trial>(p => p.Add(t => t.Id, "s1-t1"));

        after.WaitForAssertion(() => Assert.Single(after.FindAll(".augmented-batch")));
        Assert.Equal("/api/trials/s1-t1/augmented.png", after.Find(".augmented-batch").GetAttribute("src"));
    }

    [Fact]
    public void TrialPageSaysTheStoreIsUnreachableInsteadOfFailing()
    {
        _store.Down = true;

        var cut = Render<Trial>(p => p.Add(t => t.Id, "s1-t1"));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".store-unreachable")));
    }

    [Fact]
    public void ARequeueWhileTheStoreIsDownSaysSoAndThePageKeepsWorking()
    {
        _store.SetStatus("s1-t1", TrialStatus.Failed);
        var cut = Render<Trial>(p => p.Add(t => t.Id, "s1-t1"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button")));
        _store.Down = true;

        cut.FindAll("button").Single(b => b.TextContent == "Requeue").Click();

        cut.WaitForAssertion(() => Assert.Contains("does not answer", cut.Find(".notice").TextContent, StringComparison.Ordinal));
        Assert.Empty(_store.Requeued);
        _store.Down = false;
        cut.FindAll("button").Single(b => b.TextContent == "Requeue").Click();
        cut.WaitForAssertion(() => Assert.Equal(["s1-t1"], _store.Requeued));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_checkpointRoot))
        {
            Directory.Delete(_checkpointRoot, recursive: true);
        }
    }
}
