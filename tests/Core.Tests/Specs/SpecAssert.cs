using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

/// <summary>Parses with default limits and gives back the plan or the rejected file's errors as "path: message".</summary>
internal static class SpecAssert
{
    public static readonly SweepLimits Defaults = new();

    public static SweepPlan Parses(string text, SweepLimits? limits = null) => SweepSpecParser.Parse(text, limits ?? Defaults);

    public static IReadOnlyList<string> Rejects(string text, SweepLimits? limits = null)
    {
        var exception = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, limits ?? Defaults));
        Assert.NotEmpty(exception.Errors);
        return [.. exception.Errors.Select(e => e.ToString())];
    }

    /// <summary>Asserts the file is rejected with exactly this error among its errors.</summary>
    public static void RejectsWith(string text, string expected, SweepLimits? limits = null)
    {
        var errors = Rejects(text, limits);
        Assert.True(errors.Contains(expected), $"expected \"{expected}\" among:\n  {string.Join("\n  ", errors)}");
    }

    /// <summary>A minimal valid grid file with extra lines appended (indentation is the caller's).</summary>
    public static string Grid(string extra) => $"name: t\nmethod: grid\n{extra}";

    public static string Random(string extra, int trialCount = 10) => $"name: t\nmethod: random\ntrial_count: {trialCount}\n{extra}";
}
