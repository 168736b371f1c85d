namespace Experiments.Dashboard.Ui.Models;

/// <summary>One configuration run over several seeds, with the spread of its results.</summary>
public sealed record SeedGroup(
    string Label,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<string> TrialIds,
    IReadOnlyList<int> Seeds,
    Spread? Score,
    Spread? BestValAccuracy,
    Spread? TestAccuracy);

/// <summary>Groups trials that differ only by seed, so a result is read with its spread over seeds.</summary>
public static class SeedGroups
{
    /// <summary>The parameter key a sweep's <c>seeds:</c> list varies.</summary>
    public const string SeedKey = "seed";

    /// <summary>Groups, best mean score first (by the objective's goal).</summary>
    public static IReadOnlyList<SeedGroup> Build(IReadOnlyList<TrialRow> rows, IReadOnlyList<string> varyingKeys, SweepObjective objective)
    {
        var keys = varyingKeys.Where(k => !string.Equals(k, SeedKey, StringComparison.OrdinalIgnoreCase)).ToList();
        var groups = rows
            .GroupBy(r => string.Join("\u001f", keys.Select(r.Parameter)), StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                var parameters = keys.ToDictionary(k => k, first.Parameter);
                var label = keys.Count == 0 ? "all trials" : string.Join(" ", keys.Select(k => $"{k}={first.Shown(k)}"));
                return new SeedGroup(
                    label,
                    parameters,
                    g.Select(r => r.Id).ToList(),
                    g.Select(r => r.Seed).Distinct().Order().ToList(),
                    Spread.Of(g.Select(r => r.Score)),
                    Spread.Of(g.Select(r => r.BestValAccuracy)),
                    Spread.Of(g.Select(r => r.TestAccuracy)));
            });

        var ordered = objective.Maximize
            ? groups.OrderByDescending(g => g.Score?.Mean ?? double.NegativeInfinity)
            : groups.OrderBy(g => g.Score?.Mean ?? double.PositiveInfinity);
        return ordered.ToList();
    }
}
