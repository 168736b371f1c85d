using System.Globalization;
using Experiments.Core.EarlyTermination;

namespace Experiments.EarlyStop;

/// <summary>Our rules, through <see cref="EarlyTerminationLedger"/>: the reference of the store-side decision.</summary>
internal sealed class OurPruner(Func<string, EarlyTerminationSpec> specFor) : IPruner
{
    private EarlyTerminationLedger? _ledger;
    private SimulatedSweep? _sweep;

    public void BeginSweep(SimulatedSweep sweep, string rule)
    {
        _sweep = sweep;
        var epochs = sweep.Trials.Max(t => t.Values.Length);
        _ledger = new(new EarlyTerminationPolicy(SweepName(sweep), specFor(rule), epochs, "val_accuracy", MetricGoal.Maximize));
    }

    public void StartTrial(int trial)
    {
    }

    public bool ShouldStop(int trial, int epoch)
    {
        var values = _sweep!.Trials[trial].Values;
        return _ledger!.Report(TrialName(trial), trial, epoch, values.Length, values[epoch - 1]).IsPrune;
    }

    public static string SweepName(SimulatedSweep sweep) => "sweep-" + sweep.Index.ToString(CultureInfo.InvariantCulture);

    private static string TrialName(int trial) => "t" + trial.ToString(CultureInfo.InvariantCulture);
}
