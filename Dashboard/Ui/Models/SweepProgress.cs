using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>
/// How far a sweep is, from its summary alone (status counts and its running trials' latest progress): the share of
/// its trials' training done, and an estimate of the time left. The estimate assumes as many trials keep running at
/// once as run now, each queued trial taking as long as a running one at its pace; early termination can only make
/// it shorter. Null while no running trial has reported a batch.
/// </summary>
public sealed record SweepProgress(double Fraction, TimeSpan? Eta)
{
    public static SweepProgress Of(SweepSummary summary)
    {
        var counts = summary.StatusCounts;
        var total = counts.Values.Sum();
        if (total == 0)
        {
            return new SweepProgress(0, null);
        }

        var running = counts.GetValueOrDefault(TrialStatus.Running);
        var queued = counts.GetValueOrDefault(TrialStatus.Queued);
        var reports = summary.Running;
        var finished = total - running - queued;
        var fraction = Math.Clamp((finished + reports.Sum(p => p.Fraction)) / total, 0, 1);

        var paced = reports.Where(p => p.SecondsPerBatch is not null).ToList();
        if (paced.Count == 0 || running == 0)
        {
            return new SweepProgress(fraction, null);
        }

        var left = paced.Sum(p => p.Remaining()!.Value.TotalSeconds);
        var perTrial = paced.Average(p => p.SecondsPerBatch!.Value * p.Batches * p.Epochs);
        // Running trials that have not reported yet count as whole trials still to do.
        var notStarted = queued + Math.Max(0, running - paced.Count);
        return new SweepProgress(fraction, TimeSpan.FromSeconds((left + notStarted * perTrial) / running));
    }
}
