using System.Globalization;
using Experiments.Core.EarlyTermination;
using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>Where a rung cuts now: the <see cref="Kept"/>-th best of the <see cref="Count"/> results recorded there.</summary>
public sealed record RungCut(int Bracket, int Rung, int Epoch, int Count, int Kept, double Cut);

/// <summary>Where a pruned trial stopped, and why.</summary>
public sealed record PrunedStop(string TrialId, int Index, int Epoch, string? Reason);

/// <summary>
/// A sweep's early termination as its page shows it: the rule, which trials it stopped and where, the rung cuts
/// the recorded results give, and the epochs saved against running every trial to its end.
/// </summary>
public sealed class EarlyTerminationView
{
    private EarlyTerminationView(EarlyTerminationSpec spec, string rule, IReadOnlyList<PrunedStop> stops, IReadOnlyList<RungCut> cuts, int epochsRun, int epochsSaved, int epochsIfAllRan)
    {
        Spec = spec;
        Rule = rule;
        Stops = stops;
        Cuts = cuts;
        EpochsRun = epochsRun;
        EpochsSaved = epochsSaved;
        EpochsIfAllRan = epochsIfAllRan;
    }

    public EarlyTerminationSpec Spec { get; }

    /// <summary>The rule in words, e.g. <c>ASHA: rungs at epochs 1, 3; top 1/3 continue</c>.</summary>
    public string Rule { get; }

    public IReadOnlyList<PrunedStop> Stops { get; }

    public IReadOnlyList<RungCut> Cuts { get; }

    /// <summary>Epochs recorded by every trial so far.</summary>
    public int EpochsRun { get; }

    /// <summary>Epochs pruned trials did not run: their configured epochs minus those they recorded.</summary>
    public int EpochsSaved { get; }

    /// <summary>Every trial's configured epochs: the cost of the sweep without early termination.</summary>
    public int EpochsIfAllRan { get; }

    public double SavedShare => EpochsIfAllRan == 0 ? 0 : (double)EpochsSaved / EpochsIfAllRan;

    /// <summary><c>14 of 24 epochs saved (58 %) by stopping 4 trials early</c>.</summary>
    public string SavedText => string.Create(CultureInfo.InvariantCulture,
        $"{EpochsSaved} of {EpochsIfAllRan} epochs saved ({SavedShare * 100:0} %) by stopping {Stops.Count} trial{(Stops.Count == 1 ? "" : "s")} early");

    /// <summary>Null for a sweep without early termination.</summary>
    public static EarlyTerminationView? Build(SweepSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var sweep = snapshot.Sweep;
        if (sweep.EarlyTermination is not { } spec || snapshot.Trials.Count == 0)
        {
            return null;
        }

        var trials = snapshot.Trials;
        var stops = trials
            .Where(t => t.Record.Status == TrialStatus.Pruned)
            .Select(t => new PrunedStop(t.Record.Id, t.Record.Index, t.Epochs.Count == 0 ? 0 : t.Epochs.Max(e => e.Epoch), t.Record.Reason))
            .OrderBy(s => s.Index)
            .ToList();
        var epochsIfAllRan = trials.Sum(t => t.Record.Config.Epochs);
        var epochsSaved = trials.Where(t => t.Record.Status == TrialStatus.Pruned).Sum(t => Math.Max(0, t.Record.Config.Epochs - t.Epochs.Count));
        var policy = new EarlyTerminationPolicy(
            sweep.Id, spec, spec.MaxEpochs ?? trials.Max(t => t.Record.Config.Epochs), sweep.Metric.Name, MetricGoals.Parse(sweep.Metric.Goal));
        return new EarlyTerminationView(spec, Describe(policy), stops, RungCuts(policy, trials), trials.Sum(t => t.Epochs.Count), epochsSaved, epochsIfAllRan);
    }

    private static string Describe(EarlyTerminationPolicy policy)
    {
        var spec = policy.Spec;
        if (policy.Schedule is not { } schedule)
        {
            return $"Median stopping: after {spec.StartupTrials} completed trials, from epoch {spec.WarmupEpochs + 1} a trial whose best {policy.MetricName} is worse than the completed trials' median stops";
        }

        var name = spec.Type == EarlyTerminationType.Asha ? "ASHA" : $"Hyperband ({schedule.BracketCount} brackets of ASHA)";
        return $"{name}: rungs at epochs {string.Join(", ", schedule.RungEpochs(0))}; top 1/{spec.ReductionFactor} on {policy.MetricName} continue";
    }

    // The store's rung sets hold each trial's first value at a rung epoch before its last; recorded epochs give the same.
    private static List<RungCut> RungCuts(EarlyTerminationPolicy policy, IReadOnlyList<TrialData> trials)
    {
        if (policy.Schedule is not { } schedule)
        {
            return [];
        }

        var cuts = new List<RungCut>();
        var byBracket = trials.GroupBy(t => policy.BracketOf(t.Record.Index));
        foreach (var bracket in byBracket.OrderBy(g => g.Key))
        {
            var epochs = schedule.RungEpochs(bracket.Key);
            for (var rung = 0; rung < epochs.Count; rung++)
            {
                var epoch = epochs[rung];
                var values = bracket
                    .Where(t => t.Record.Config.Epochs > epoch)
                    .Select(t => t.Epochs.FirstOrDefault(e => e.Epoch == epoch))
                    .OfType<EpochMetrics>()
                    .Select(policy.ValueOf)
                    .Where(double.IsFinite)
                    .ToList();
                if (values.Count == 0)
                {
                    continue;
                }

                var ordered = policy.Goal == MetricGoal.Maximize ? values.OrderDescending().ToList() : values.Order().ToList();
                var kept = Math.Max(1, values.Count / policy.Spec.ReductionFactor);
                cuts.Add(new RungCut(bracket.Key, rung, epoch, values.Count, kept, ordered[kept - 1]));
            }
        }

        return cuts;
    }
}
