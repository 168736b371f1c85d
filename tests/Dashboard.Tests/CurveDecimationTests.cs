using Experiments.Dashboard.Ui.Charts;

namespace Experiments.Dashboard.Tests;

public sealed class CurveDecimationTests
{
    [Fact]
    public void KeepsBothEndpointsAndNoMoreThanTheBudget()
    {
        var x = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        var y = x.Select(v => Math.Sin(v / 30)).ToArray();

        var kept = CurveDecimation.Lttb(x, y, 50);

        Assert.Equal(50, kept.Count);
        Assert.Equal(0, kept[0]);
        Assert.Equal(999, kept[^1]);
        Assert.Equal(kept.Order(), kept);
        Assert.Equal(kept.Count, kept.Distinct().Count());
    }

    [Fact]
    public void KeepsASpikeThatUniformSamplingWouldMiss()
    {
        var x = Enumerable.Range(0, 500).Select(i => (double)i).ToArray();
        var y = new double[500];
        y[251] = 10;

        var kept = CurveDecimation.Lttb(x, y, 20);

        Assert.Contains(251, kept);
    }

    [Fact]
    public void CurvesWithinTheBudgetAreUntouched()
    {
        Assert.Equal([0, 1, 2, 3, 4], CurveDecimation.Lttb([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], 50));
    }

    [Fact]
    public void TinyBudgetsStillKeepTheEndpoints()
    {
        Assert.Equal([0, 9], CurveDecimation.Lttb(Enumerable.Range(0, 10).Select(i => (double)i).ToArray(), new double[10], 1));
    }

    [Fact]
    public void TwoThousandCurvesShareTheTotalPointBudget()
    {
        var perCurve = CurveDecimation.PointsPerCurve(2000, 20_000);

        Assert.Equal(10, perCurve);
        Assert.Equal(8, CurveDecimation.PointsPerCurve(100_000, 20_000));
    }
}
