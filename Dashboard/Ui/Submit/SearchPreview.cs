using Experiments.Core.Specs;

namespace Experiments.Dashboard.Ui.Submit;

/// <summary>
/// How a tpe sweep's budget splits, for the Submit preview: the trials fixed at submit (random startup samples,
/// queued at once), the random startup trials created later (when a slot frees under max_concurrent), and the
/// trials the model proposes from the results.
/// </summary>
public sealed record SearchPreview(int Budget, int Fixed, int StartupLater, int Proposed, int MaxConcurrent)
{
    public static SearchPreview? Of(SweepPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Search is not { } search)
        {
            return null;
        }

        var startup = Math.Min(search.StartupTrials, search.TrialCount);
        var fixedTrials = plan.Trials.Count;
        return new SearchPreview(search.TrialCount, fixedTrials, Math.Max(0, startup - fixedTrials), search.TrialCount - Math.Max(startup, fixedTrials), search.MaxConcurrent);
    }
}
