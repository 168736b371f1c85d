namespace Experiments.Core.Search;

/// <summary>How much one parameter mattered to the metric.</summary>
/// <param name="Name">The parameter, as in the sweep file.</param>
/// <param name="Fanova">Its share of the metric's variance by fANOVA (the shares of all parameters sum to 1).</param>
/// <param name="RankCorrelation">
/// Spearman's rank correlation of its value with the metric (positive: larger values, larger metric); null for a
/// choice among values with no order (e.g. optimizer names).
/// </param>
public sealed record ParameterImportance(string Name, double Fanova, double? RankCorrelation);

/// <summary>The importance of every varied parameter over a sweep's completed trials, most important first.</summary>
/// <param name="Trials">The completed trials it was computed from.</param>
/// <param name="Unavailable">Why there is no result yet (too few trials, all equal), or null.</param>
public sealed record ImportanceReport(int Trials, IReadOnlyList<ParameterImportance> Parameters, string? Unavailable);
