namespace Experiments.Core.Search;

/// <summary>
/// The knobs of <see cref="TpeSampler"/>, defaulting to Optuna 3.1's <c>TPESampler(multivariate=True,
/// constant_liar=True)</c>: the same gamma (10% of the finished trials, at most 25), weights (older trials fade once
/// there are more than 25), prior, magic clip and 24 expected-improvement candidates.
/// </summary>
internal sealed record TpeSettings
{
    /// <summary>Finished trials needed before the model is used; until then trials are random samples.</summary>
    public int StartupTrials { get; init; } = 10;

    public int EiCandidates { get; init; } = 24;

    /// <summary>One joint density over all parameters (BOHB's kernel) instead of one per parameter.</summary>
    public bool Multivariate { get; init; } = true;

    /// <summary>Pending trials count as the worst result, so parallel proposals spread out instead of piling up.</summary>
    public bool ConstantLiar { get; init; } = true;

    public bool ConsiderPrior { get; init; } = true;

    public double PriorWeight { get; init; } = 1.0;

    public bool ConsiderMagicClip { get; init; } = true;

    /// <summary>Univariate bandwidths only: let the domain's ends widen the outermost kernels.</summary>
    public bool ConsiderEndpoints { get; init; }

    /// <summary>
    /// Ours, not Optuna's: when the best candidate repeats a configuration the sweep already has (possible with
    /// integer and categorical parameters), take the best candidate that does not. The store never runs a
    /// configuration twice, so a repeat would waste the trial.
    /// </summary>
    public bool AvoidRepeats { get; init; } = true;

    public SearchGoal Goal { get; init; } = SearchGoal.Maximize;
}
