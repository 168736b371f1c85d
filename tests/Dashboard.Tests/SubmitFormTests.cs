using Bunit;
using Experiments.Dashboard.Components.Controls;
using Experiments.Dashboard.Ui.Submit;
using Experiments.Core.Specs;

namespace Experiments.Dashboard.Tests;

public sealed class SubmitFormTests : BunitContext
{
    public SubmitFormTests() => JSInterop.Mode = JSRuntimeMode.Loose;

    private static readonly SpecError[] Errors =
    [
        new("parameters.lr.min", "must be > 0"),
        new("base.epochs", "must be at most 500"),
        new("method", "unknown method 'bayes'"),
    ];

    private static SpecCheck Valid(string text)
    {
        var trials = new[] { "0.1", "0.01" }
            .Select(lr => new PlannedTrial(new TrainingConfig { Epochs = 3 }, new Dictionary<string, string> { ["lr"] = lr }))
            .ToList();
        var plan = new SweepPlan("tiny", "grid", new SweepMetric("val_accuracy", "maximize"), text, trials);
        return new SpecCheck([], new SweepPreview(plan, ["lr"], DurationEstimator.Estimate(plan, new Throughput(0.01, true))));
    }

    [Fact]
    public void ShowsEveryValidationErrorWithItsPath()
    {
        var cut = Render<SubmitForm>(p => p
            .Add(f => f.Text, "name: x")
            .Add(f => f.Check, _ => SpecCheck.Invalid(Errors))
            .Add(f => f.Submit, _ => Task.CompletedTask));

        cut.Find("button.primary").Click();

        var shown = cut.FindAll("li.spec-error").Select(li => (li.QuerySelector(".spec-path")!.TextContent, li.QuerySelector(".spec-message")!.TextContent)).ToList();
        Assert.Equal(Errors.Select(e => (e.Path, e.Message)), shown);
        Assert.Contains("3 problems", cut.Markup);
        Assert.True(SubmitButton(cut).HasAttribute("disabled"));
    }

    [Fact]
    public void PreviewShowsTrialCountAndEstimateThenSubmitsThePlan()
    {
        SweepPlan? submitted = null;
        var cut = Render<SubmitForm>(p => p
            .Add(f => f.Text, "name: tiny")
            .Add(f => f.Check, Valid)
            .Add(f => f.Submit, plan => { submitted = plan; return Task.CompletedTask; }));

        cut.Find("button.primary").Click();

        Assert.Equal("2", cut.Find(".trial-count").TextContent);
        // 2 trials x (3 s start-up + 3 epochs x 50,000 - 5,000 images x 0.01 s) = 2,706 s.
        Assert.Contains("45m 06s", cut.Find(".estimate").TextContent);
        SubmitButton(cut).Click();
        Assert.Equal("tiny", submitted?.Name);
    }

    [Fact]
    public void EditingAfterThePreviewRequiresAnotherCheckBeforeSubmit()
    {
        var cut = Render<SubmitForm>(p => p
            .Add(f => f.Text, "name: tiny")
            .Add(f => f.Check, Valid)
            .Add(f => f.Submit, _ => Task.CompletedTask));
        cut.Find("button.primary").Click();

        cut.Find("textarea").Input("name: changed");

        Assert.True(SubmitButton(cut).HasAttribute("disabled"));
    }

    [Fact]
    public void AFailedSubmitShowsItsReason()
    {
        var cut = Render<SubmitForm>(p => p
            .Add(f => f.Text, "name: tiny")
            .Add(f => f.Check, Valid)
            .Add(f => f.Submit, _ => throw new InvalidOperationException("store unavailable")));
        cut.Find("button.primary").Click();

        SubmitButton(cut).Click();

        Assert.Contains("store unavailable", cut.Find(".error").TextContent);
    }

    private static AngleSharp.Dom.IElement SubmitButton(IRenderedComponent<SubmitForm> cut) =>
        cut.FindAll("button").Single(b => b.TextContent.Contains("Submit", StringComparison.Ordinal));

    [Fact]
    public void TpePreviewShowsTheBudgetAndWhichTrialsAreFixedOrProposed()
    {
        const string text = """
            name: tpe
            method: tpe
            trial_count: 40
            startup_trials: 10
            max_concurrent: 4
            parameters: { lr: { distribution: log_uniform, min: 1.0e-5, max: 1.0e-1 }, optimizer: { values: [adam, sgd] } }
            """;
        var cut = Render<SubmitForm>(p => p
            .Add(f => f.Text, text)
            .Add(f => f.Check, t =>
            {
                var plan = SweepSpecParser.Parse(t, new SweepLimits());
                return new SpecCheck([], new SweepPreview(plan, ["lr", "optimizer"], DurationEstimator.Estimate(plan, new Throughput(0.01, true))));
            })
            .Add(f => f.Submit, _ => Task.CompletedTask));

        cut.Find("button.primary").Click();

        Assert.Equal("40", cut.Find(".trial-count").TextContent);
        Assert.StartsWith("4 random startup trials, queued at submit", cut.Find(".fixed-trials").TextContent);
        Assert.StartsWith("36: 6 more random, then 30 by the model", cut.Find(".proposed-trials").TextContent);
        Assert.Equal(4, cut.FindAll(".spec-preview tbody tr").Count);
    }
}
