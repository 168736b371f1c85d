using Bunit;
using Experiments.Core.Records;
using Experiments.Dashboard.Components.Pages;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Models;
using Microsoft.Extensions.DependencyInjection;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

/// <summary>The Sweeps page over 1,000 sweeps: it pages and filters summaries, and reads trials only for the lines it shows.</summary>
public sealed class SweepsPageTests : BunitContext
{
    private readonly InMemoryDashboardStore _store = new();

    public SweepsPageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddLogging();
        Services.AddSingleton<IDashboardStore>(_store);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<LiveFeed>();
        Services.AddSingleton<StoreReachability>();
        for (var i = 0; i < 1000; i++)
        {
            var id = $"s{i:0000}";
            var status = i % 100 == 7 ? TrialStatus.Failed : i % 100 == 3 ? TrialStatus.Running : TrialStatus.Completed;
            _store.Add(Sweep(id, 1) with { Name = i % 10 == 0 ? $"resnet-{i}" : $"vgg-{i}", CreatedAt = Start.AddHours(i) },
                [(Trial(id, 0, Params(("lr", "0.1")), status), Epochs(0.5, 0.6 + (i / 10000.0)))]);
        }
    }

    [Fact]
    public void ShowsOnePageOfTheNewestSweepsAndReadsTrialsOnlyForThem()
    {
        var cut = Render<Sweeps>();

        cut.WaitForAssertion(() => Assert.Equal(SweepQuery.DefaultPageSize, cut.FindAll(".sweeps-table tbody tr").Count));
        Assert.Contains("vgg-999", cut.FindAll(".sweeps-table tbody tr")[0].TextContent);
        Assert.Contains("69.99 %", cut.FindAll(".sweeps-table tbody tr")[0].TextContent);
        Assert.Contains("page 1 of 20", cut.Find(".pager").TextContent);
        Assert.Equal(SweepQuery.DefaultPageSize, _store.TrialListReads);

        cut.FindAll(".pager button")[1].Click();

        cut.WaitForAssertion(() => Assert.Contains("vgg-949", cut.FindAll(".sweeps-table tbody tr")[0].TextContent));
        Assert.Contains("page 2 of 20", cut.Find(".pager").TextContent);
        Assert.Equal(2 * SweepQuery.DefaultPageSize, _store.TrialListReads);
    }

    [Fact]
    public void ShowsARunningSweepsShareDoneAndEtaFromItsSummary()
    {
        // The newest sweep's one trial (2 epochs) is running: epoch 1 at batch 50 of 100 after 25 s.
        _store.Add(Sweep("s1000", 1) with { CreatedAt = Start.AddHours(1000) }, [(Trial("s1000", 0, Params(("lr", "0.1")), TrialStatus.Running), Epochs())]);
        _store.ReportProgress("s1000-t0", new TrialProgress(1, 1, 2, 50, 100, 0.9, 256, 25));

        var cut = Render<Sweeps>();

        cut.WaitForAssertion(() =>
        {
            var row = cut.FindAll(".sweeps-table tbody tr").Single(r => r.TextContent.Contains("s1000", StringComparison.Ordinal));
            // A quarter of its training; 25 s left in the epoch and one more epoch of 50 s.
            Assert.Equal("25% done · ETA 1m 15s", row.QuerySelector(".sweep-progress")!.TextContent);
        });
        // A finished sweep shows no progress line.
        Assert.Null(cut.FindAll(".sweeps-table tbody tr").Single(r => r.TextContent.Contains("s0999", StringComparison.Ordinal)).QuerySelector(".sweep-progress"));
    }

    [Fact]
    public void FiltersByNameStateAndDate()
    {
        var cut = Render<Sweeps>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".sweeps-table tbody tr")));

        cut.Find("input[aria-label='Name filter']").Input("resnet");
        cut.WaitForAssertion(() => Assert.Contains("100 of 1000 sweeps", cut.Find(".sweeps-count").TextContent));
        Assert.All(cut.FindAll(".sweeps-table tbody tr"), row => Assert.Contains("resnet", row.TextContent));

        cut.Find("input[aria-label='Name filter']").Input("");
        cut.Find("select[aria-label='State filter']").Change(nameof(SweepState.Failed));
        cut.WaitForAssertion(() => Assert.Contains("10 of 1000 sweeps", cut.Find(".sweeps-count").TextContent));

        cut.Find("select[aria-label='State filter']").Change("");
        var day = DateOnly.FromDateTime(Start.AddHours(500).ToLocalTime().DateTime);
        cut.Find("input[aria-label='Created from']").Change(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        cut.Find("input[aria-label='Created to']").Change(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        cut.WaitForAssertion(() => Assert.Contains("24 of 1000 sweeps", cut.Find(".sweeps-count").TextContent));
    }

    [Fact]
    public void SweepStateFollowsTheTrialsStatusCounts()
    {
        SweepListItem Item(params (TrialStatus Status, int Count)[] counts) =>
            new(new SweepSummary(Sweep("s", 1), counts.ToDictionary(c => c.Status, c => c.Count)), null, null);

        Assert.Equal(SweepState.Active, Item((TrialStatus.Completed, 3), (TrialStatus.Queued, 1)).State);
        Assert.Equal(SweepState.Failed, Item((TrialStatus.Completed, 3), (TrialStatus.Failed, 1), (TrialStatus.Cancelled, 1)).State);
        Assert.Equal(SweepState.Cancelled, Item((TrialStatus.Completed, 3), (TrialStatus.Cancelled, 1)).State);
        Assert.Equal(SweepState.Completed, Item((TrialStatus.Completed, 3), (TrialStatus.Diverged, 1)).State);
    }

    [Fact]
    public void ATpeSweepWithBudgetLeftIsActiveEvenWithNothingQueuedUntilItIsCancelled()
    {
        SweepListItem Item(int created, params (TrialStatus Status, int Count)[] counts) =>
            new(new SweepSummary(Sweep("s", created) with { Search = new(8, 4, 2, 0) }, counts.ToDictionary(c => c.Status, c => c.Count)), null, null);

        Assert.Equal(SweepState.Active, Item(3, (TrialStatus.Completed, 2), (TrialStatus.Pruned, 1)).State);
        Assert.Equal(SweepState.Cancelled, Item(3, (TrialStatus.Completed, 2), (TrialStatus.Cancelled, 1)).State);
        Assert.Equal(SweepState.Completed, Item(8, (TrialStatus.Completed, 6), (TrialStatus.Pruned, 2)).State);
    }
}
