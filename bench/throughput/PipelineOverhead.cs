using Experiments.Core.Datasets;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Experiments.Core.CommandLine;
using Experiments.Core.Specs;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Data;
using static TorchSharp.torch;

namespace Experiments.Throughput;

/// <summary>
/// The whole training epoch (shuffle, gather, crop+flip, normalise, step, loss and accuracy bookkeeping) against
/// bare forward/backward/step on batches prepared in advance. The ratio shows what the data pipeline costs.
/// </summary>
internal static class PipelineOverhead
{
    public static Command Command()
    {
        Option<int> batchOption = BenchOptions.Batch(128), stepsOption = BenchOptions.Steps(6), threadsOption = BenchOptions.Threads();
        var roundsOption = CommandLineOptions.Integer("--rounds", "Timed rounds", 3, min: 1);
        var command = BenchOptions.Command("pipeline", "The full training loop against bare forward/backward/step", batchOption, stepsOption, roundsOption, threadsOption);
        command.SetAction(parsed => Run(parsed.GetValue(batchOption), parsed.GetValue(stepsOption), parsed.GetValue(roundsOption), parsed.GetValue(threadsOption)));
        return command;
    }

    private static int Run(int batch, int steps, int rounds, int threads)
    {
        set_num_threads(threads);
        var config = new TrainingConfig { Dataset = Dataset.Synthetic, BatchSize = batch, Augmentation = Augmentation.CropFlip, Epochs = rounds + 1 };
        var raw = SyntheticDataset.Create(batch * steps + batch, batch, seed: 0);
        using var data = DataSplits.Create(raw, batch, 0, CPU);
        using var session = TrainingSession.Create(config, data, CPU);

        // The same images, already normalised, for the bare loop.
        var batches = new List<(Tensor X, Tensor Y)>();
        for (int s = 0; s < steps; s++)
        {
            using var images = data.Train.Images.narrow(0, s * batch, batch);
            batches.Add((BatchAugmentation.Normalize(images, data.Mean, data.Std), data.Train.Labels.narrow(0, s * batch, batch)));
        }

        session.TrainEpoch(1, null, CancellationToken.None); // warm-up
        var full = new List<double>();
        var bare = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            bare.Add(Bare(session, batches));
            var clock = Stopwatch.StartNew();
            var result = session.TrainEpoch(r + 2, null, CancellationToken.None);
            full.Add(result.Images / clock.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {r + 1}: full loop {full[^1]:F1} img/s, bare step {bare[^1]:F1} img/s"));
        }
        double fullMedian = Median(full), bareMedian = Median(bare);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: full loop {fullMedian:F1} img/s, bare step {bareMedian:F1} img/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio full/bare: {fullMedian / bareMedian:F3} (target >= 0.95)"));
        return 0;
    }

    private static double Bare(TrainingSession session, List<(Tensor X, Tensor Y)> batches)
    {
        session.Model.train();
        var clock = Stopwatch.StartNew();
        foreach (var (x, y) in batches)
        {
            using var scope = NewDisposeScope();
            session.Flat.ZeroGrad();
            nn.functional.cross_entropy(session.Model.call(x), y).backward();
            session.Optimizer.Apply(1e-3);
        }
        return batches.Count * batches[0].X.shape[0] / clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
