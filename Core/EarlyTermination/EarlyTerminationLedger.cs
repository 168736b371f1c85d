namespace Experiments.Core.EarlyTermination;

/// <summary>
/// The reference implementation of the store-side decision (<see cref="EarlyTerminationLua"/>): the same records,
/// kept in memory, and the same steps. Tests run both on the same reports and require equal decisions; the
/// benchmark runs this one. Records, as in the store (README.md in this folder):
/// results per (bracket, rung); per trial its first value per epoch and its decision per checked epoch; the set of
/// completed trials and their values per epoch.
/// </summary>
public sealed class EarlyTerminationLedger(EarlyTerminationPolicy policy)
{
    private readonly Dictionary<(int Bracket, int Rung), Dictionary<string, double>> _rungResults = [];
    private readonly Dictionary<string, SortedDictionary<int, double>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Trial, int Epoch), EarlyTerminationDecision> _decisions = [];
    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Dictionary<string, double>> _completedValues = [];

    public EarlyTerminationPolicy Policy => policy;

    /// <summary>Trial <paramref name="trialId"/> (index <paramref name="trialIndex"/>, running <paramref name="lastEpoch"/> epochs) reported <paramref name="value"/> at <paramref name="epoch"/>.</summary>
    /// <returns>The decision; for an epoch reported before, the decision it got then.</returns>
    public EarlyTerminationDecision Report(string trialId, int trialIndex, int epoch, int lastEpoch, double value)
    {
        var check = policy.CheckFor(trialIndex, epoch, lastEpoch);
        switch (check.Kind)
        {
            case EpochCheckKind.None:
                return EarlyTerminationDecision.Unchecked(epoch, value);
            case EpochCheckKind.KeepValue:
                KeepValue(trialId, epoch, value);
                return new(DecisionVerdict.Continue, DecisionBasis.Warmup, epoch, null, null, value, 0, 0, double.NaN);
        }

        if (_decisions.TryGetValue((trialId, epoch), out var recorded))
        {
            return recorded;
        }

        var decision = check.Kind switch
        {
            EpochCheckKind.Rung => DecideRung(check, trialId, value),
            EpochCheckKind.Median => DecideMedian(check, trialId, value),
            _ => Complete(check, trialId, value),
        };
        _decisions[(trialId, epoch)] = decision;
        return decision;
    }

    private EarlyTerminationDecision DecideRung(EpochCheck check, string trialId, double value)
    {
        if (!double.IsFinite(value))
        {
            return NotFinite(check, value);
        }

        var key = (check.Bracket!.Value, check.Rung!.Value);
        if (!_rungResults.TryGetValue(key, out var results))
        {
            _rungResults[key] = results = new(StringComparer.Ordinal);
        }

        // The first result at a rung stands (a replay cut short before its decision reuses it).
        results.TryAdd(trialId, value);
        return AshaRule.Decide(check, policy.Goal, policy.Spec.ReductionFactor, results[trialId], results.Values);
    }

    private EarlyTerminationDecision DecideMedian(EpochCheck check, string trialId, double value)
    {
        if (!double.IsFinite(value))
        {
            return NotFinite(check, value);
        }

        KeepValue(trialId, check.Epoch, value);
        var best = double.NaN;
        foreach (var (epoch, v) in _values[trialId])
        {
            if (epoch <= check.Epoch && (double.IsNaN(best) || policy.Goal.IsBetter(v, best)))
            {
                best = v;
            }
        }

        var pool = _completedValues.TryGetValue(check.Epoch, out var values) ? values.Values : (IReadOnlyCollection<double>)[];
        return MedianRule.Decide(check, policy.Goal, policy.Spec.StartupTrials, best, _completed.Count, pool);
    }

    private EarlyTerminationDecision Complete(EpochCheck check, string trialId, double value)
    {
        KeepValue(trialId, check.Epoch, value);
        var values = _values.GetValueOrDefault(trialId) ?? [];
        foreach (var (epoch, v) in values)
        {
            if (epoch <= check.Epoch)
            {
                if (!_completedValues.TryGetValue(epoch, out var pool))
                {
                    _completedValues[epoch] = pool = new(StringComparer.Ordinal);
                }

                pool[trialId] = v;
            }
        }

        _completed.Add(trialId);
        var stored = values.TryGetValue(check.Epoch, out var last) ? last : value;
        return new(DecisionVerdict.Continue, DecisionBasis.Complete, check.Epoch, null, null, stored, _completed.Count, 0, double.NaN);
    }

    // Only finite values are kept; the first value for an epoch stands.
    private void KeepValue(string trialId, int epoch, double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        if (!_values.TryGetValue(trialId, out var values))
        {
            _values[trialId] = values = [];
        }

        values.TryAdd(epoch, value);
    }

    private static EarlyTerminationDecision NotFinite(EpochCheck check, double value) =>
        new(DecisionVerdict.Prune, DecisionBasis.NotFinite, check.Epoch, check.Bracket, check.Rung, value, 0, 0, double.NaN);
}
