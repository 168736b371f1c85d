using Experiments.Core.Records;
using Experiments.Core.Search;
using Experiments.Core.Specs;
using Experiments.Dashboard.Ui.Models;

namespace Experiments.Dashboard.Api;

/// <summary>
/// A sweep with its trials' status counts, as <c>GET /api/sweeps</c> lists it, and its running trials' latest in-epoch
/// progress (each naming its trial).
/// </summary>
public sealed record SweepListItem(
    string Id, string Name, string Method, DateTimeOffset CreatedAt, int TrialCount, IReadOnlyDictionary<string, int> Status,
    IReadOnlyList<TrialProgress> Running)
{
    /// <summary>The metric the sweep optimises, with its target when it has one.</summary>
    public SweepMetric? Metric { get; init; }
}

/// <summary>
/// <c>GET /api/sweeps/{id}</c>: the sweep and every trial's current state; with a <c>metric.target</c>, how many
/// trials reached it and the fastest (each trial's own time is its <c>target</c>).
/// </summary>
public sealed record SweepDetails(SweepRecord Sweep, IReadOnlyList<TrialRecord> Trials)
{
    public TimeToTarget? TimeToTarget { get; } = TimeToTarget.Of(Sweep.Metric, Trials);
}

/// <summary>
/// <c>GET /api/trials/{id}</c>: config, status, attempts, every recorded epoch and every early-termination decision
/// the store made for it (with its reason; empty when the sweep has no rule).
/// </summary>
public sealed record TrialDetails(TrialRecord Trial, IReadOnlyList<EpochMetrics> Epochs, IReadOnlyList<TrialDecision> EarlyTermination);

/// <summary>What a cancel or requeue call changed.</summary>
public sealed record ControlResult(string Id, int Changed);

/// <summary>
/// <c>GET /api/sweeps/{id}/importance</c>: each varied parameter's fANOVA share of the metric's variance (shares sum to
/// 1) and Spearman rank correlation, most important first, over <paramref name="Trials"/> completed trials;
/// <paramref name="Unavailable"/> says why the list is empty (too few completed trials, all equal).
/// </summary>
public sealed record SweepImportanceResponse(string SweepId, int Trials, IReadOnlyList<ParameterImportance> Parameters, string? Unavailable);
