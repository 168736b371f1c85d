using System.Globalization;

namespace Experiments.Core.EarlyTermination;

public enum DecisionVerdict
{
    Continue,
    Prune,
}

/// <summary>Why a decision came out as it did.</summary>
public enum DecisionBasis
{
    /// <summary>The epoch is not checked (not a rung, or the last epoch).</summary>
    Unchecked,

    /// <summary>Median warm-up epoch.</summary>
    Warmup,

    /// <summary>Ranked among the results at a rung.</summary>
    Rung,

    /// <summary>Median: fewer completed trials than <c>startup_trials</c>.</summary>
    Startup,

    /// <summary>Median: no completed trial has a value at this epoch.</summary>
    NoPeers,

    /// <summary>Median: best so far compared with the median.</summary>
    Median,

    /// <summary>Median: the trial reached its last epoch and joined the completed pool.</summary>
    Complete,

    /// <summary>The reported value is NaN or infinite at a checked epoch.</summary>
    NotFinite,
}

/// <summary>
/// One early-termination decision for (trial, epoch). Recorded decisions are stored once and returned unchanged
/// for a replayed epoch. Numbers are those the rule compared; the reason is rendered from them.
/// </summary>
/// <param name="Value">Rung: the trial's value at the rung. Median: its best value so far.</param>
/// <param name="Count">Rung: results at the rung including this one. Median: completed values at this epoch
/// (Startup: completed trials). Complete: completed trials.</param>
/// <param name="Kept">Rung: how many of <paramref name="Count"/> may continue, max(1, floor(n / eta)).
/// Median: startup_trials.</param>
/// <param name="Cut">Rung: the Kept-th best value (a tie with it continues). Median: the median. Otherwise NaN.</param>
public sealed record EarlyTerminationDecision(
    DecisionVerdict Verdict,
    DecisionBasis Basis,
    int Epoch,
    int? Bracket,
    int? Rung,
    double Value,
    int Count,
    int Kept,
    double Cut)
{
    public bool IsPrune => Verdict == DecisionVerdict.Prune;

    public static EarlyTerminationDecision Unchecked(int epoch, double value) =>
        new(DecisionVerdict.Continue, DecisionBasis.Unchecked, epoch, null, null, value, 0, 0, double.NaN);

    /// <summary>The stored form, <c>verdict|basis|epoch|bracket|rung|value|count|kept|cut</c>, as the Lua script writes it.</summary>
    public string Encode() => string.Join('|',
        Verdict.ToString().ToLowerInvariant(),
        Basis.ToString().ToLowerInvariant(),
        Text(Epoch),
        Bracket is { } b ? Text(b) : "",
        Rung is { } r ? Text(r) : "",
        Text(Value),
        Text(Count),
        Text(Kept),
        double.IsNaN(Cut) ? "" : Text(Cut));

    /// <summary>Reads <see cref="Encode"/>'s form (numbers as the store formats them).</summary>
    public static EarlyTerminationDecision Parse(string record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var parts = record.Split('|');
        if (parts.Length != 9)
        {
            throw new FormatException($"An early-termination record has 9 fields: '{record}'.");
        }

        return new EarlyTerminationDecision(
            Enum.Parse<DecisionVerdict>(parts[0], ignoreCase: true),
            Enum.Parse<DecisionBasis>(parts[1], ignoreCase: true),
            int.Parse(parts[2], CultureInfo.InvariantCulture),
            parts[3].Length == 0 ? null : int.Parse(parts[3], CultureInfo.InvariantCulture),
            parts[4].Length == 0 ? null : int.Parse(parts[4], CultureInfo.InvariantCulture),
            Number(parts[5]),
            int.Parse(parts[6], CultureInfo.InvariantCulture),
            int.Parse(parts[7], CultureInfo.InvariantCulture),
            parts[8].Length == 0 ? double.NaN : Number(parts[8]));
    }

    /// <summary>
    /// The reason people read, e.g. <c>rung 1 (epoch 3): val_accuracy 0.412 not in top 1/3 of 7 results (cut 0.455)</c>.
    /// </summary>
    public string Describe(EarlyTerminationType rule, string metricName, int reductionFactor)
    {
        var (value, cut) = Distinct(Value, Cut);
        var at = Bracket is { } bracket && Rung is { } rung
            ? (rule == EarlyTerminationType.Hyperband ? $"bracket {bracket} " : "") + $"rung {rung} (epoch {Epoch})"
            : $"epoch {Epoch}";
        var keeps = Verdict == DecisionVerdict.Continue;
        return Basis switch
        {
            DecisionBasis.Rung when Count < reductionFactor =>
                $"{at}: {metricName} {value} {(keeps ? "is" : "is not")} the best of {Count} result{(Count == 1 ? "" : "s")} so far (fewer than {reductionFactor}: only the best continues{(Count == 1 ? "" : $", cut {cut}")})",
            DecisionBasis.Rung =>
                $"{at}: {metricName} {value} {(keeps ? "in" : "not in")} top 1/{reductionFactor} of {Count} results ({Kept} continue, cut {cut})",
            DecisionBasis.Median =>
                $"{at}: best {metricName} {value} {(keeps ? "not worse than" : "worse than")} median {cut} of {Count} completed trial{(Count == 1 ? "" : "s")}",
            DecisionBasis.Startup => $"{at}: {Count} of {Kept} startup trials completed, no comparison yet",
            DecisionBasis.NoPeers => $"{at}: no completed trial reached this epoch, no comparison",
            DecisionBasis.Complete => $"{at}: last epoch, joins the {Count} completed trials the median is taken over",
            DecisionBasis.NotFinite => $"{at}: {metricName} is {Text(Value)}, not a number that can rank",
            DecisionBasis.Warmup => $"{at}: warm-up, not checked",
            _ => $"{at}: not checked",
        };
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    // Three significant digits unless the two numbers would then read the same.
    private static (string, string) Distinct(double a, double b)
    {
        for (var digits = 3; digits < 17; digits++)
        {
            var format = "G" + digits.ToString(CultureInfo.InvariantCulture);
            var (x, y) = (a.ToString(format, CultureInfo.InvariantCulture), b.ToString(format, CultureInfo.InvariantCulture));
            if (x != y || a.Equals(b) || double.IsNaN(b))
            {
                return (x, y);
            }
        }

        return (Text(a), Text(b));
    }
}
