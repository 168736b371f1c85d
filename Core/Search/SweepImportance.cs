using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Core.Search;

/// <summary>
/// Parameter importance of a stored sweep, for the API and the Sweep page: the sweep's own file says which
/// parameters vary, its completed trials (scored as the Dashboard ranks them) say how much each mattered.
/// </summary>
public static class SweepImportance
{
    /// <param name="epochs">Recorded epochs per trial id (only completed trials' are used).</param>
    public static ImportanceReport Compute(SweepRecord sweep, IReadOnlyList<TrialRecord> trials, IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>> epochs)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        SweepDefinition definition;
        try
        {
            definition = SweepSpecParser.Definition(sweep.SourceText);
        }
        catch (SweepSpecException ex)
        {
            // A record written under older rules: say why rather than fail the page.
            return new ImportanceReport(0, [], $"the sweep's file no longer validates ({ex.Errors[0]})");
        }

        var history = SearchHistory.Observe(definition, trials, epochs);
        return ImportanceEvaluator.Evaluate(SearchSpace.Of(definition.Parameters), history);
    }

    /// <summary>
    /// What the result depends on: the completed trials (their results never change afterwards). Equal keys give
    /// equal reports, so a caller may keep one report per key instead of refitting the forest on every refresh.
    /// </summary>
    public static string Key(SweepRecord sweep, IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var completed = trials.Where(t => t.Status == TrialStatus.Completed).Select(t => t.Index).Order();
        return sweep.Id + ":" + string.Join(',', completed);
    }
}
