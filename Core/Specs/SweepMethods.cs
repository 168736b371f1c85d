namespace Experiments.Core.Specs;

/// <summary>The <c>method:</c> values a sweep file may use.</summary>
internal static class SweepMethods
{
    public const string Grid = "grid";
    public const string Random = "random";
    public const string Sobol = "sobol";

    public static IReadOnlyList<string> All { get; } = [Grid, Random, Sobol];
}
