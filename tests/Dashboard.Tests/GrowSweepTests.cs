using Bunit;
using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Dashboard.Components.Controls;
using Experiments.Dashboard.Components.Pages;
using Experiments.Dashboard.Security;
using Experiments.Dashboard.Ui.Checkpoints;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Links;
using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Submit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Experiments.Dashboard.Tests;

/// <summary>The Sweep page's form that adds trials, clone with edits on the Submit page, and time to target on the pages.</summary>
public sealed class GrowSweepTests : BunitContext
{
    private const string SweepId = "sw-abcdefghijkl";

    private const string Source = """
        name: grow
        method: grid
        metric: { name: val_accuracy, goal: maximize, target: 0.8 }
        base: { dataset: synthetic, epochs: 3 }
        parameters:
          lr: { values: [0.001, 0.01] }
        """;

    private readonly InMemoryDashboardStore _store = new();

    public GrowSweepTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddLogging();
        Services.AddSingleton<IDashboardStore>(_store);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<LiveFeed>();
        Services.AddSingleton<StoreReachability>();
        Services.AddOptions<DashboardOptions>();
        Services.AddSingleton<TraceLinks>();
        Services.AddSingleton<CheckpointList>();
        Services.AddSingleton(new CheckpointStore(Path.Combine(Path.GetTempPath(), "grow-view-" + Guid.NewGuid().ToString("N"))));
        Services.AddSingleton<SweepDeletion>();
        Services.AddSingleton(new SweepLimits());
        Services.AddSingleton<SweepSubmission>();

        // The sweep as the store holds it after Source was submitted: the first trial reached the target at epoch 2.
        var plan = SweepSpecParser.Parse(Source, new SweepLimits());
        var sweep = new SweepRecord(SweepId, plan.Name, plan.Method, plan.Metric, Source, TestData.Start, null,
            [.. plan.Trials.Select((_, i) => $"{SweepId}-t{i}")]);
        _store.Add(sweep, plan.Trials.Select((t, i) => (
            TestData.Trial(SweepId, i, t.Parameters, epochs: 3) with { Config = t.Config, Target = i == 0 ? new TargetReached(2, 95) : null },
            TestData.Epochs(0.5, i == 0 ? 0.85 : 0.6, 0.7))));
        // Rendered as the pages run: interactive on the server (the prerendered first HTML is PrerenderTests').
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task AddingSeedsQueuesEveryConfigurationWithTheNextSeedsAndSaysWhat()
    {
        var grown = 0;
        var cut = Render<GrowSweepForm>(p => p.Add(f => f.SweepId, SweepId).Add(f => f.OnGrown, () => grown++));

        cut.Find("input.seed-count").Change(2);
        cut.Find("button.add-seeds").Click();

        cut.WaitForAssertion(() => Assert.Equal("Added 4 trials; the sweep now has 6.", cut.Find(".grow-result").TextContent));
        Assert.Equal(1, grown);
        var trials = await _store.GetTrialsAsync(SweepId, CancellationToken.None);
        Assert.Equal(new[] { 0, 0, 1, 2, 1, 2 }, trials.Select(t => t.Config.Seed));
        Assert.All(trials.Skip(2), t => Assert.Equal(TrialStatus.Queued, t.Status));
    }

    [Fact]
    public async Task TheSweepsFileEditedAddsOnlyItsNewConfigurations()
    {
        var cut = Render<GrowSweepForm>(p => p.Add(f => f.SweepId, SweepId));

        cut.Find("button.edit-source").Click();
        cut.WaitForAssertion(() => Assert.Equal(Source, cut.Find("textarea.grow-editor").GetAttribute("value") ?? cut.Find("textarea.grow-editor").TextContent));
        cut.Find("textarea.grow-editor").Input(Source.Replace("[0.001, 0.01]", "[0.001, 0.01, 0.1]", StringComparison.Ordinal));
        cut.Find("button.add-from-file").Click();

        cut.WaitForAssertion(() => Assert.Equal("Added 1 trial (2 already in the sweep, not run again); the sweep now has 3.", cut.Find(".grow-result").TextContent));
        Assert.Contains("0.1]", await _store.GetSweepSourceAsync(SweepId, CancellationToken.None), StringComparison.Ordinal);

        cut.Find("button.add-from-file").Click();
        cut.WaitForAssertion(() => Assert.Equal("Nothing to add: the sweep already runs every configuration asked for (3 already in the sweep, not run again).", cut.Find(".grow-result").TextContent));
    }

    [Fact]
    public void AnEditThatChangesTheMethodIsShownAtItsPathAndAClosedSweepSaysWhy()
    {
        var cut = Render<GrowSweepForm>(p => p.Add(f => f.SweepId, SweepId));
        cut.Find("button.edit-source").Click();
        cut.WaitForAssertion(() => cut.Find("textarea.grow-editor"));
        cut.Find("textarea.grow-editor").Input(Source.Replace("method: grid", "method: random\ntrial_count: 2", StringComparison.Ordinal));

        cut.Find("button.add-from-file").Click();

        cut.WaitForAssertion(() => Assert.Equal("method", cut.Find(".spec-error .spec-path").TextContent));
        Assert.StartsWith("must stay grid", cut.Find(".spec-error .spec-message").TextContent, StringComparison.Ordinal);

        _store.ClosedReason = "Sweep 'sw-abcdefghijkl' was cancelled; it takes no more trials.";
        cut.Find("button.add-seeds").Click();
        cut.WaitForAssertion(() => Assert.Equal(_store.ClosedReason, cut.Find(".grow-result").TextContent));
        Assert.Empty(cut.FindAll(".spec-error"));
    }

    [Fact]
    public void CloneWithEditsOpensTheSubmitEditorOnTheSweepsFile()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"submit?from={SweepId}");

        var cut = Render<Submit>();

        cut.WaitForAssertion(() => Assert.Equal(Source, cut.Find("textarea.yaml-editor").GetAttribute("value") ?? cut.Find("textarea.yaml-editor").TextContent));
        Assert.Contains($"A copy of sweep {SweepId}'s file", cut.Find(".clone-note").TextContent, StringComparison.Ordinal);

        // Checked as it stands, the copy previews as the sweep it came from, its target included.
        cut.FindAll("button.primary").Single(b => b.TextContent.StartsWith("Check", StringComparison.Ordinal)).Click();
        cut.WaitForAssertion(() => Assert.Equal("val_accuracy (maximize), time to target val_accuracy ≥ 80.00 %", cut.Find(".spec-preview .metric").TextContent));
    }

    [Fact]
    public void SweepPageShowsTimeToTargetInACardAndAColumnAndLinksCloneWithEdits()
    {
        var cut = Render<Sweep>(p => p.Add(s => s.Id, SweepId));

        cut.WaitForAssertion(() => Assert.Contains("1m 35s", cut.Find(".target-card").TextContent, StringComparison.Ordinal));
        Assert.Contains("val_accuracy ≥ 80.00 % · 1 of 2 trials reached it · fastest at epoch 2", cut.Find(".target-card").TextContent, StringComparison.Ordinal);
        Assert.Contains("To target", cut.Find(".trial-table thead").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Contains("1m 35s (epoch 2)", cut.Find(".trial-table tbody").TextContent, StringComparison.Ordinal));
        Assert.Equal($"submit?from={SweepId}", cut.Find("a.clone").GetAttribute("href"));
    }

    [Fact]
    public void TrialAndComparePagesShowTimeToTarget()
    {
        var trial = Render<Trial>(p => p.Add(t => t.Id, $"{SweepId}-t1"));
        trial.WaitForAssertion(() => Assert.Contains("not reached", trial.Find(".target-card").TextContent, StringComparison.Ordinal));
        Assert.Contains("val_accuracy ≥ 80.00 %", trial.Find(".target-card").TextContent, StringComparison.Ordinal);

        var reached = Render<Trial>(p => p.Add(t => t.Id, $"{SweepId}-t0"));
        reached.WaitForAssertion(() => Assert.Contains("1m 35s", reached.Find(".target-card").TextContent, StringComparison.Ordinal));
        Assert.Contains("first at epoch 2", reached.Find(".target-card").TextContent, StringComparison.Ordinal);

        Services.GetRequiredService<NavigationManager>().NavigateTo($"compare?trials={SweepId}-t0,{SweepId}-t1");
        var compare = Render<Compare>();
        compare.WaitForAssertion(() => Assert.Equal(new[] { "1m 35s (epoch 2)", "—" }, compare.FindAll(".target-row td").Select(td => td.TextContent)));
    }
}
