namespace Experiments.Core.Specs;

/// <summary>The <c>method:</c> values a sweep file may use.</summary>
internal static class SweepMethods
{
    public const string Grid = "grid";
    public const string Random = "random";
    public const string Sobol = "sobol";

    /// <summary>Model-based: trials are proposed one at a time from the results so far (Core/Search).</summary>
    public const string Tpe = "tpe";

    public static IReadOnlyList<string> All { get; } = [Grid, Random, Sobol, Tpe];

    /// <summary>Methods that draw their configurations and so take <c>trial_count</c> and <c>sample_seed</c>.</summary>
    public static bool Samples(string? method) => method is Random or Sobol or Tpe;
}
