using Experiments.Dashboard.Ui.Models;
using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Live;

/// <summary>Cheap change detectors: a snapshot is pushed to watchers only when its fingerprint moves.</summary>
internal static class Fingerprints
{
    public static long Of(SweepsSnapshot snapshot)
    {
        var hash = new HashCode();
        foreach (var item in snapshot.Sweeps)
        {
            hash.Add(item.Summary.Sweep.Id);
            foreach (var (status, count) in item.Summary.StatusCounts.OrderBy(p => p.Key))
            {
                hash.Add(status);
                hash.Add(count);
            }

            hash.Add(item.BestMetric);
            foreach (var progress in item.Summary.Running.OrderBy(p => p.TrialId, StringComparer.Ordinal))
            {
                hash.Add(progress);
            }
        }

        return hash.ToHashCode();
    }

    public static long Of(SweepSnapshot snapshot)
    {
        var hash = new HashCode();
        foreach (var trial in snapshot.Trials)
        {
            Add(ref hash, trial);
        }

        return hash.ToHashCode();
    }

    public static long Of(TrialSnapshot snapshot)
    {
        var hash = new HashCode();
        Add(ref hash, snapshot.Trial);
        hash.Add(snapshot.Trial.Record.Attempts.Count);
        hash.Add(snapshot.Trial.Record.Owner);
        return hash.ToHashCode();
    }

    private static void Add(ref HashCode hash, TrialData trial)
    {
        TrialRecord record = trial.Record;
        hash.Add(record.Id);
        hash.Add(record.Status);
        hash.Add(record.Attempt);
        hash.Add(record.CancelRequested);
        hash.Add(trial.Epochs.Count);
        hash.Add(record.Evaluations.Count);
        // Each progress report (every few seconds while a trial runs) moves the trial's bar and ETA.
        hash.Add(record.Progress);
    }
}
