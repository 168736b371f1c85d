namespace Experiments.EarlyStop;

/// <summary>A pruner under test, asked at each report in the order reports arrive.</summary>
internal interface IPruner
{
    /// <summary>A new sweep (a new study for Optuna) with this rule.</summary>
    void BeginSweep(SimulatedSweep sweep, string rule);

    void StartTrial(int trial);

    /// <summary>Trial <paramref name="trial"/> finished epoch <paramref name="epoch"/>; true to stop it now.</summary>
    bool ShouldStop(int trial, int epoch);
}

/// <summary>What one sweep cost and kept under one pruner.</summary>
internal sealed record SweepOutcome(int EpochsUsed, bool BestKept, string Decisions);

/// <summary>
/// Runs one sweep as a pool of workers would: trials start in index order on the first free worker, each reports
/// epoch by epoch after its own epoch time, and the pruner decides at report time. Reports are handled in time order
/// (ties by trial index), so two pruners that decide alike see exactly the same sequence; a stopped trial frees its
/// worker at once, as it would for real.
/// </summary>
internal static class SweepSimulation
{
    public static SweepOutcome Run(SimulatedSweep sweep, int workers, string rule, IPruner pruner)
    {
        pruner.BeginSweep(sweep, rule);
        var reports = new PriorityQueue<(int Trial, int Epoch, double Time), (double Time, int Trial)>();
        var next = 0;
        var used = new int[sweep.Trials.Count];
        var stopped = new bool[sweep.Trials.Count];
        var decisions = new System.Text.StringBuilder();

        void Start(double now)
        {
            var trial = sweep.Trials[next++];
            pruner.StartTrial(trial.Index);
            var at = now + trial.SecondsPerEpoch;
            reports.Enqueue((trial.Index, 1, at), (at, trial.Index));
        }

        while (next < Math.Min(workers, sweep.Trials.Count))
        {
            Start(0);
        }

        while (reports.TryDequeue(out var report, out _))
        {
            var trial = sweep.Trials[report.Trial];
            var stop = pruner.ShouldStop(report.Trial, report.Epoch);
            used[report.Trial] = report.Epoch;
            if (stop)
            {
                stopped[report.Trial] = true;
                decisions.Append(report.Trial).Append('@').Append(report.Epoch).Append(' ');
            }

            if (stop || report.Epoch == trial.Values.Length)
            {
                if (next < sweep.Trials.Count)
                {
                    Start(report.Time);
                }

                continue;
            }

            var at = report.Time + trial.SecondsPerEpoch;
            reports.Enqueue((report.Trial, report.Epoch + 1, at), (at, report.Trial));
        }

        // Kept = ran every epoch without being stopped (a stop at the last epoch, which Optuna's loop allows, is a prune).
        return new SweepOutcome(used.Sum(), !stopped[sweep.BestTrial], decisions.ToString());
    }
}
