using System.CommandLine;
using System.Globalization;
using System.Text;
using Experiments.Core.CommandLine;

namespace Experiments.EarlyStop;

/// <summary>One simulated trial: its observed value per epoch, its noise-free final value, and its speed.</summary>
internal sealed record SimulatedTrial(int Index, double SecondsPerEpoch, double TrueFinal, double[] Values);

internal sealed record SimulatedSweep(int Index, IReadOnlyList<SimulatedTrial> Trials)
{
    /// <summary>The configuration that is truly best: highest noise-free value at the last epoch.</summary>
    public int BestTrial => Trials.MaxBy(t => t.TrueFinal)!.Index;
}

/// <summary>
/// A seeded family of validation-accuracy curves, written once to a CSV both sides read. Each trial is one of:
/// steady learners (saturating curve), fast starters that plateau low, late bloomers (slow start, high end: they
/// cross the others after a few epochs), and over-fitters (rise, then decay). Every epoch adds Gaussian noise of a
/// per-trial size; each trial has its own epoch time, so reports arrive interleaved as on real workers.
/// </summary>
internal static class CurveFamily
{
    private const string Header = "sweep,trial,seconds_per_epoch,true_final,values...";

    public static Command Command()
    {
        var outOption = new Option<FileInfo>("--out") { Description = "Where the curves CSV goes", Required = true, HelpName = "file" };
        var sweepsOption = CommandLineOptions.Integer("--sweeps", "Simulated sweeps", 100, min: 1);
        var trialsOption = CommandLineOptions.Integer("--trials", "Trials per sweep", 40, min: 1);
        var epochsOption = CommandLineOptions.Integer("--epochs", "Epochs per trial", 10, min: 1);
        var seedOption = CommandLineOptions.Integer("--seed", "Seed of the whole family", 7, min: 0);
        var command = new Command("curves", "Writes a seeded family of learning curves both sides read");
        foreach (var option in new Option[] { outOption, sweepsOption, trialsOption, epochsOption, seedOption })
            command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var sweeps = Generate(parsed.GetValue(sweepsOption), parsed.GetValue(trialsOption), parsed.GetValue(epochsOption), parsed.GetValue(seedOption));
            Write(parsed.GetValue(outOption)!.FullName, sweeps);
            return CommandLineRunner.Succeeded;
        });
        return command;
    }

    public static IReadOnlyList<SimulatedSweep> Generate(int sweeps, int trials, int epochs, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, sweeps).Select(s => new SimulatedSweep(s, [.. Enumerable.Range(0, trials).Select(t => Trial(random, t, epochs))]))];
    }

    private static SimulatedTrial Trial(Random random, int index, int epochs)
    {
        double Uniform(double lo, double hi) => lo + ((hi - lo) * random.NextDouble());
        var kind = random.NextDouble();
        var start = Uniform(0.10, 0.30);
        double asymptote, tau, peak = double.PositiveInfinity, decay = 0;
        if (kind < 0.55)
        {
            (asymptote, tau) = (Uniform(0.60, 0.86), Uniform(1.0, 3.0)); // steady
        }
        else if (kind < 0.70)
        {
            (asymptote, tau) = (Uniform(0.55, 0.78), Uniform(0.3, 1.0)); // fast starter, low plateau
        }
        else if (kind < 0.90)
        {
            (asymptote, tau) = (Uniform(0.72, 0.93), Uniform(4.0, 8.0)); // late bloomer
        }
        else
        {
            (asymptote, tau, peak, decay) = (Uniform(0.65, 0.88), Uniform(0.8, 2.0), Uniform(3, 7), Uniform(0.01, 0.04)); // over-fitter
        }

        var noise = Uniform(0.005, 0.03);
        double Mean(int e) => asymptote - ((asymptote - start) * Math.Exp(-e / tau)) - (decay * Math.Max(0, e - peak));
        var values = Enumerable.Range(1, epochs).Select(e => Math.Clamp(Mean(e) + (noise * Gaussian(random)), 0, 1)).ToArray();
        return new SimulatedTrial(index, Uniform(0.7, 1.3), Mean(epochs), values);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static void Write(string path, IReadOnlyList<SimulatedSweep> sweeps)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var sweep in sweeps)
        {
            foreach (var trial in sweep.Trials)
            {
                text.AppendJoin(',', [Text(sweep.Index), Text(trial.Index), R(trial.SecondsPerEpoch), R(trial.TrueFinal), .. trial.Values.Select(R)]).Append('\n');
            }
        }

        File.WriteAllText(path, text.ToString());
    }

    public static IReadOnlyList<SimulatedSweep> Read(string path)
    {
        var trials = File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var f = line.Split(',');
            var trial = new SimulatedTrial(int.Parse(f[1], CultureInfo.InvariantCulture), Number(f[2]), Number(f[3]), [.. f[4..].Select(Number)]);
            return (Sweep: int.Parse(f[0], CultureInfo.InvariantCulture), Trial: trial);
        });
        return [.. trials.GroupBy(t => t.Sweep).Select(g => new SimulatedSweep(g.Key, [.. g.Select(t => t.Trial).OrderBy(t => t.Index)]))];
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
