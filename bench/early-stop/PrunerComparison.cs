using System.CommandLine;
using System.Globalization;
using Experiments.Core.CommandLine;
using Experiments.Core.EarlyTermination;

namespace Experiments.EarlyStop;

/// <summary>
/// Every sweep of the curves file through each rule, ours and Optuna's, with the same workers and arrival order.
/// Prints epochs used and how often the truly best configuration ran to the end, per rule, side by side.
/// </summary>
internal static class PrunerComparison
{
    private static readonly string[] Rules = ["asha", "hyperband", "median"];

    public static Command Command()
    {
        var curvesOption = CommandLineOptions.ExistingFile("--curves", "The curves CSV written by the curves command");
        curvesOption.Required = true;
        var workersOption = CommandLineOptions.Integer("--workers", "Simulated workers", 4, min: 1);
        var minEpochsOption = CommandLineOptions.Integer("--min-epochs", "ASHA/Hyperband min_epochs", 1, min: 1);
        var etaOption = CommandLineOptions.Integer("--reduction-factor", "ASHA/Hyperband reduction_factor", 3, min: 2);
        var startupOption = CommandLineOptions.Integer("--startup-trials", "Median startup_trials", 5, min: 0);
        var warmupOption = CommandLineOptions.Integer("--warmup-epochs", "Median warmup_epochs", 1, min: 0);
        var pythonOption = new Option<string>("--python") { Description = "The Python with Optuna", DefaultValueFactory = _ => "/usr/bin/python3", HelpName = "path" };
        var command = new Command("compare", "Runs every sweep of the curves file through our rules and Optuna's pruners");
        foreach (var option in new Option[] { curvesOption, workersOption, minEpochsOption, etaOption, startupOption, warmupOption, pythonOption })
            command.Options.Add(option);
        command.SetAction(parsed => Run(
            parsed.GetValue(curvesOption)!.FullName, parsed.GetValue(workersOption), parsed.GetValue(minEpochsOption), parsed.GetValue(etaOption),
            parsed.GetValue(startupOption), parsed.GetValue(warmupOption), parsed.GetValue(pythonOption)!));
        return command;
    }

    private static int Run(string path, int workers, int minEpochs, int eta, int startup, int warmup, string python)
    {
        var sweeps = CurveFamily.Read(path);
        var epochs = sweeps.Max(s => s.Trials.Max(t => t.Values.Length));
        EarlyTerminationSpec SpecFor(string rule) => rule switch
        {
            "median" => new EarlyTerminationSpec(EarlyTerminationType.Median) { StartupTrials = startup, WarmupEpochs = warmup },
            _ => new EarlyTerminationSpec(rule == "asha" ? EarlyTerminationType.Asha : EarlyTerminationType.Hyperband)
            {
                MinEpochs = minEpochs,
                ReductionFactor = eta,
                MaxEpochs = epochs,
            },
        };

        var settings = string.Create(CultureInfo.InvariantCulture, $"min_epochs={minEpochs},reduction_factor={eta},max_epochs={epochs},startup_trials={startup},warmup_epochs={warmup}");
        using var optuna = new OptunaPruner(python, path, settings);
        var ours = new OurPruner(SpecFor);
        var trialCount = sweeps.Sum(s => s.Trials.Count);
        var full = sweeps.Sum(s => s.Trials.Sum(t => t.Values.Length));
        var n = sweeps.Count;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"early-stop: {n} sweeps, {trialCount} trials, up to {epochs} epochs ({full} epochs if nothing stops), {workers} workers; curves {path}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ours: asha/hyperband min_epochs {minEpochs}, reduction_factor {eta}, max_epochs {epochs}; median startup_trials {startup}, warmup_epochs {warmup}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"optuna {optuna.Version}: SuccessiveHalvingPruner(min_resource={minEpochs}, reduction_factor={eta}, min_early_stopping_rate=0, bootstrap_count=0), HyperbandPruner(min_resource={minEpochs}, max_resource={epochs}, reduction_factor={eta}), MedianPruner(n_startup_trials={startup}, n_warmup_steps={warmup + 1}, interval_steps=1); step = epoch (1-based), report + should_prune after every epoch"));
        Console.WriteLine($"{"rule",-10} {"ours epochs",-18} {"optuna epochs",-18} {"ratio",-6} {"best kept ours",-15} {"optuna",-8} same decisions");

        var asha = (Ratio: 0.0, Ours: 0, Theirs: 0);
        foreach (var rule in Rules)
        {
            var a = sweeps.Select(s => SweepSimulation.Run(s, workers, rule, ours)).ToList();
            var b = sweeps.Select(s => SweepSimulation.Run(s, workers, rule, optuna)).ToList();
            var (ourEpochs, theirEpochs) = (a.Sum(o => o.EpochsUsed), b.Sum(o => o.EpochsUsed));
            var (ourBest, theirBest) = (a.Count(o => o.BestKept), b.Count(o => o.BestKept));
            var same = a.Zip(b).Count(p => p.First.Decisions == p.Second.Decisions);
            var ratio = (double)ourEpochs / theirEpochs;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rule,-10} {$"{ourEpochs} ({100.0 * ourEpochs / full:F1}%)",-18} {$"{theirEpochs} ({100.0 * theirEpochs / full:F1}%)",-18} {ratio,-6:F3} {$"{ourBest}/{n}",-15} {$"{theirBest}/{n}",-8} {same}/{n} sweeps"));
            if (rule == "asha")
            {
                asha = (ratio, ourBest, theirBest);
            }
        }

        // Where the rules differ by design (Core/EarlyTermination/README.md); with these two removed, every decision matched.
        Console.WriteLine("differences: hyperband assigns brackets by exact budget shares per cycle of trial indexes (Optuna: crc32 of study name + trial number); median never checks a trial's last epoch (Optuna's loop does, and a trial pruned there does not count as completed)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio epochs ours/optuna: {asha.Ratio:F3}; best kept ours {asha.Ours}/{n}, optuna {asha.Theirs}/{n}"));
        return 0;
    }
}
