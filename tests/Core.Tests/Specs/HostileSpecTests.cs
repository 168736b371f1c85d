using Experiments.Core.Specs;
using Experiments.Tests.Shared;

namespace Experiments.Core.Tests.Specs;

public sealed class HostileSpecTests
{
    // Theory rows carry only names: some texts are megabytes, too big to serialize into test cases.
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Texts = new(() => HostileSpecs.All().ToDictionary(s => s.Name, s => s.Text));

    public static TheoryData<string> Names => new(HostileSpecs.All().Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task HostileSpecIsRejectedWithSpecErrorsOnly(string name)
    {
        var exception = await Eventually.FinishesAsync(
            () => Record.Exception(() => SweepSpecParser.Parse(Texts.Value[name], new SweepLimits())), $"parsing hostile spec {name}");

        var rejected = Assert.IsType<SweepSpecException>(exception);
        Assert.NotEmpty(rejected.Errors);
        Assert.All(rejected.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Path) || string.IsNullOrWhiteSpace(e.Message), e.ToString()));
    }

    [Fact]
    public void CorpusIsLargeDeterministicAndUniquelyNamed()
    {
        var first = HostileSpecs.All().ToList();
        var second = HostileSpecs.All().ToList();

        Assert.True(first.Count >= 150, $"only {first.Count} hostile specs");
        Assert.Equal(first.Count, first.Select(s => s.Name).Distinct().Count());
        Assert.Equal(first, second);
    }
}
