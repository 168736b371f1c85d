using Experiments.Core.EarlyTermination;
using Experiments.Core.Records;

namespace Experiments.Core.Queue;

public sealed partial class SweepStore
{
    /// <summary>
    /// Every early-termination decision the store recorded for a trial, in epoch order, each with its reason; empty
    /// for a trial of a sweep without a rule, and for an unknown or malformed id.
    /// </summary>
    public async Task<IReadOnlyList<TrialDecision>> GetDecisionsAsync(string trialId, CancellationToken cancellationToken = default)
    {
        if (!StoreIds.TryGetSweepId(trialId, out var sweepId))
        {
            return [];
        }

        var database = Database;
        var sweep = database.HashGetAsync(keys.Sweep(sweepId), [SweepHash.EarlyTerminationField, "metric_name"]);
        var records = database.HashGetAllAsync(new EarlyTerminationKeys(options.KeyPrefix).Trial(trialId));
        await Task.WhenAll(sweep, records).WaitAsync(cancellationToken).ConfigureAwait(false);
        var (rule, metric) = (sweep.Result[0], sweep.Result[1]);
        if (rule.IsNullOrEmpty)
        {
            return [];
        }

        var spec = RecordJson.Deserialize<EarlyTerminationSpec>((string)rule!);
        return [.. records.Result
            .Where(e => ((string)e.Name!).StartsWith("d:", StringComparison.Ordinal))
            .Select(e => EarlyTerminationDecision.Parse((string)e.Value!))
            .OrderBy(d => d.Epoch)
            .Select(d => new TrialDecision(
                d.Epoch, d.Verdict.ToString().ToLowerInvariant(), d.Basis.ToString().ToLowerInvariant(), d.Bracket, d.Rung,
                double.IsFinite(d.Value) ? d.Value : null, d.Count, d.Kept, double.IsNaN(d.Cut) ? null : d.Cut,
                d.Describe(spec.Type, (string?)metric ?? "", spec.ReductionFactor)))];
    }
}
