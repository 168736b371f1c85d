using Experiments.Tests.Shared;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

public sealed class LimitsTests
{
    private static readonly string Fractions = List(Enumerable.Range(1, 10).Select(i => i / 20.0));

    [Fact]
    public async Task GridOfATrillionIsRefusedWithoutExpanding()
    {
        // Twelve parameters of ten values each: 10^12 combinations.
        var tenEach = new Dictionary<string, string>
        {
            ["epochs"] = List(Enumerable.Range(1, 10)),
            ["batch_size"] = List(Enumerable.Range(2, 10)),
            ["step_size"] = List(Enumerable.Range(1, 10)),
            ["warmup_epochs"] = List(Enumerable.Range(0, 10)),
            ["synthetic_size"] = List(Enumerable.Range(16, 10)),
            ["validation_size"] = List(Enumerable.Range(1, 10)),
            ["lr"] = Fractions,
            ["momentum"] = Fractions,
            ["label_smoothing"] = Fractions,
            ["gamma"] = Fractions,
            ["weight_decay"] = Fractions,
            ["optimizer"] = "[adam, adamw, sgd, adam, adamw, sgd, adam, adamw, sgd, adam]",
        };
        var text = SpecAssert.Grid("parameters:\n" + string.Join("\n", tenEach.Select(p => $"  {p.Key}: {{ values: {p.Value} }}")));

        // Refused from the counts alone: expanding 10^12 trials would never finish.
        var errors = await Eventually.FinishesAsync(() => SpecAssert.Rejects(text), "refusing a 10^12-trial grid");

        Assert.Equal(["parameters: the grid has 1000000000000 combinations x 1 seeds = 1000000000000 trials; at most 10000 are allowed"], errors);
    }

    [Fact]
    public void GridSizeBeyondInt64SaturatesInsteadOfOverflowing()
    {
        // Five parameters of 10,000 values each: 10^20 combinations, more than a long holds.
        var many = List(Enumerable.Range(1, 10_000).Select(i => i * 1e-5));
        var fields = new[] { "lr", "weight_decay", "label_smoothing", "momentum", "gamma" };
        var text = SpecAssert.Grid("parameters:\n" + string.Join("\n", fields.Select(f => $"  {f}: {{ values: {many} }}")));

        var errors = SpecAssert.Rejects(text);

        Assert.Equal(["parameters: the grid has more than 9223372036854775806 combinations x 1 seeds = more than 9223372036854775806 trials; at most 10000 are allowed"], errors);
    }

    [Fact]
    public void SeedsCountTowardsTheTrialLimit()
    {
        var errors = SpecAssert.Rejects(
            SpecAssert.Grid("seeds: [1, 2, 3]\nparameters:\n  lr: { values: [0.1, 0.2] }"),
            new SweepLimits(MaxTrials: 5));

        Assert.Equal(["parameters: the grid has 2 combinations x 3 seeds = 6 trials; at most 5 are allowed"], errors);
    }

    [Fact]
    public void SampledTrialCountTimesSeedsIsLimited()
    {
        var errors = SpecAssert.Rejects(
            "name: t\nmethod: random\ntrial_count: 4\nseeds: [1, 2]\n",
            new SweepLimits(MaxTrials: 5));

        Assert.Equal(["trial_count: 4 samples x 2 seeds = 8 trials; at most 5 are allowed"], errors);
    }

    [Fact]
    public void ExactlyTheLimitIsAllowed()
    {
        var plan = SpecAssert.Parses(
            SpecAssert.Grid("seeds: [1, 2]\nparameters:\n  lr: { values: [0.1, 0.2] }"),
            new SweepLimits(MaxTrials: 4));

        Assert.Equal(4, plan.Trials.Count);
    }

    [Fact]
    public void OversizedValuesListIsRefusedWithoutCheckingEachEntry()
    {
        var errors = SpecAssert.Rejects(
            SpecAssert.Random("parameters:\n  lr: { values: [0.1, 0.2, 0.3] }"),
            new SweepLimits(MaxTrials: 2, MaxSeeds: 1));

        Assert.Contains("parameters.lr.values: must have at most 2 entries", errors);
    }

    [Fact]
    public void UnusableLimitsAreAProgrammingError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SweepSpecParser.Parse("name: t\nmethod: grid\n", new SweepLimits(MaxTrials: 0)));
    }

    private static string List<T>(IEnumerable<T> values)
        where T : IFormattable =>
        "[" + string.Join(", ", values.Select(v => v.ToString(null, System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
