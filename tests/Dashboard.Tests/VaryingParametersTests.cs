using Experiments.Dashboard.Ui.Models;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

public sealed class VaryingParametersTests
{
    [Fact]
    public void ParametersWithOneValueEverywhereAreNotVarying()
    {
        var varying = VaryingParameters.Find(
        [
            Params(("lr", "0.1"), ("scheduler", "cosine"), ("seed", "0")),
            Params(("lr", "0.01"), ("scheduler", "cosine"), ("seed", "1")),
        ]);

        Assert.Equal(["lr", "seed"], varying);
    }

    [Fact]
    public void AParameterMissingFromSomeTrialsVaries()
    {
        var varying = VaryingParameters.Find([Params(("lr", "0.1")), Params(("lr", "0.1"), ("augmentation", "flip"))]);

        Assert.Equal(["augmentation"], varying);
    }

    [Fact]
    public void ASingleTrialHasNoVaryingParameters()
    {
        Assert.Empty(VaryingParameters.Find([Params(("lr", "0.1"))]));
    }
}
