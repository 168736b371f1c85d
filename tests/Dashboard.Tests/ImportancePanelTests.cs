using Bunit;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Dashboard.Components.Controls;
using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Experiments.Dashboard.Tests;

public sealed class ImportancePanelTests : BunitContext
{
    private const string Source = """
        name: importance
        method: random
        trial_count: 60
        parameters:
          lr: { distribution: log_uniform, min: 1.0e-5, max: 1.0e-1 }
          momentum: { distribution: uniform, min: 0.5, max: 0.99 }
          optimizer: { values: [adam, sgd] }
        """;

    public ImportancePanelTests() => Services.AddSingleton<ImportanceCache>();

    // lr decides the metric (best at 1e-3); momentum and the optimizer add a little.
    private static SweepSnapshot Snapshot(int completed, int running = 0)
    {
        var random = new Random(4);
        var total = completed + running;
        var sweep = new SweepRecord("sw-aaaaaaaaaaaa", "importance", "random", new SweepMetric("val_accuracy", "maximize"), Source, TestData.Start, null,
            [.. Enumerable.Range(0, total).Select(i => $"sw-aaaaaaaaaaaa-{i:D4}")]);
        var trials = Enumerable.Range(0, total).Select(i =>
        {
            var config = new TrainingConfig
            {
                Lr = Math.Pow(10, -5 + (4 * random.NextDouble())),
                Momentum = 0.5 + (0.49 * random.NextDouble()),
                Optimizer = random.Next(2) == 0 ? Optimizer.Adam : Optimizer.Sgd,
            };
            var accuracy = 0.9 - (0.08 * Math.Pow(Math.Log10(config.Lr) + 3, 2)) + (0.01 * config.Momentum) + (config.Optimizer == Optimizer.Adam ? 0.005 : 0);
            var status = i < completed ? TrialStatus.Completed : TrialStatus.Running;
            var record = TestData.Trial(sweep.Id, i, TestData.Params(("lr", config.Lr.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))), status) with
            {
                Id = sweep.TrialIds[i],
                Config = config,
            };
            return new TrialData(record, status == TrialStatus.Completed ? TestData.Epochs(accuracy - 0.1, accuracy) : TestData.Epochs(accuracy - 0.1));
        }).ToList();
        return new SweepSnapshot(sweep, trials, TestData.Start);
    }

    [Fact]
    public void ShowsTheDominantParameterFirstAndRefitsWhenMoreTrialsComplete()
    {
        var cut = Render<ImportancePanel>(p => p.Add(c => c.Snapshot, Snapshot(completed: 30, running: 5)));

        cut.WaitForAssertion(() => Assert.Equal("30", cut.Find(".importance-trials").TextContent), TimeSpan.FromSeconds(60));
        Assert.Equal("lr", cut.FindAll(".importance-name")[0].TextContent);
        Assert.Equal(3, cut.FindAll(".importance-name").Count);

        // A live refresh with more completed trials refits; one with the same completed trials does not change it.
        cut.Render(p => p.Add(c => c.Snapshot, Snapshot(completed: 45)));
        cut.WaitForAssertion(() => Assert.Equal("45", cut.Find(".importance-trials").TextContent), TimeSpan.FromSeconds(60));
        Assert.Equal("lr", cut.FindAll(".importance-name")[0].TextContent);
    }

    [Fact]
    public void SaysWhyThereIsNoImportanceYet()
    {
        var cut = Render<ImportancePanel>(p => p.Add(c => c.Snapshot, Snapshot(completed: 2, running: 2)));

        cut.WaitForAssertion(() => Assert.Contains("needs at least 4 completed trials, has 2", cut.Find(".importance-unavailable").TextContent), TimeSpan.FromSeconds(60));
    }
}
