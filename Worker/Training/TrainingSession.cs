using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Worker.Training.Checkpointing;
using Experiments.Worker.Training.Data;
using Experiments.Worker.Training.Evaluation;
using Experiments.Worker.Training.Model;
using Experiments.Worker.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Worker.Training;

/// <summary>How one training epoch went; <see cref="Divergence"/> is set when the loss stopped being finite.</summary>
internal sealed record EpochTrainResult(double Loss, double Accuracy, long Images, double Seconds, double LastLearningRate, string? Divergence);

/// <summary>Loss, accuracy and confusion matrix of the model on one image set, and the images it got most wrong.</summary>
internal sealed record EvaluationResult(double Loss, double Accuracy, long[,] Confusion, IReadOnlyList<MisclassifiedImage> MostWrong);

/// <summary>
/// The live state of one trial on its device: model (parameters in one flat buffer), optimizer, schedule,
/// generators and data. Everything random comes from the trial's seed, so two sessions from the same config
/// compute the same thing. Synchronous: callers run it off the async path and never across an await.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    // torch.manual_seed and module construction use the global generator: serialise model creation so
    // concurrent sessions in one process still get their seed's weights.
    private static readonly Lock ModelCreation = new();

    private readonly TrainingConfig config;
    private readonly Generator shuffleGenerator;
    private readonly Generator augmentationGenerator;
    private readonly BatchAugmentation augmentation;

    private TrainingSession(TrainingConfig config, DataSplits data, ResNet34 model, Device device)
    {
        this.config = config;
        Data = data;
        Model = model;
        Device = device;
        Flat = new FlatParameters([.. model.parameters()]);
        Optimizer = FlatOptimizer.Create(config, Flat);
        StepsPerEpoch = StepsIn(data.Train.Count, config.BatchSize);
        Schedule = LearningRateSchedule.FromConfig(config, StepsPerEpoch);
        shuffleGenerator = new Generator(ShuffleSeed(config));
        augmentationGenerator = new Generator(AugmentationSeed(config));
        augmentation = BatchAugmentation.For(config.Augmentation, data.Mean, data.Std, augmentationGenerator);
    }

    public DataSplits Data { get; }
    public ResNet34 Model { get; }
    public Device Device { get; }
    public FlatParameters Flat { get; }
    public FlatOptimizer Optimizer { get; }
    public LearningRateSchedule Schedule { get; }
    public long StepsPerEpoch { get; }

    /// <param name="initialize">Loads starting weights (<c>init_from</c>) into the fresh CPU model, before it moves to the device.</param>
    public static TrainingSession Create(TrainingConfig config, DataSplits data, Device device, Action<ResNet34>? initialize = null)
    {
        ResNet34 model;
        lock (ModelCreation)
        {
            manual_seed(config.Seed);
            model = new ResNet34(data.Channels, data.ClassNames.Count, config.Stem, config.Init);
        }
        model.Compute.LowPrecision = config.Precision == Precision.Bf16 ? ScalarType.BFloat16 : null;
        initialize?.Invoke(model);
        model.to(device);
        return new TrainingSession(config, data, model, device);
    }

    // Each random stream of a trial has a seed of its own, derived from the trial's.
    private static ulong ShuffleSeed(TrainingConfig config) => (ulong)config.Seed + 1;

    private static ulong AugmentationSeed(TrainingConfig config) => (ulong)config.Seed + 2;

    /// <summary>Batches per epoch; a final batch of one image is dropped (BatchNorm cannot train on it).</summary>
    public static long StepsIn(long images, int batchSize) => images / batchSize + (images % batchSize >= 2 ? 1 : 0);

    /// <param name="batchDone">Called on this thread after each batch with where the epoch stands (batch numbers 1-based).</param>
    /// <param name="cancellationToken">Checked before every batch: a request stops training within one batch.</param>
    public EpochTrainResult TrainEpoch(int epoch, Action<BatchProgress>? batchDone, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        Model.train();
        var train = Data.Train;
        using var order = randperm(train.Count, generator: shuffleGenerator).to(Device);
        using var correct = zeros([], ScalarType.Int64, Device);
        double lossSum = 0, lr = Schedule.At(Optimizer.Step);
        long images = 0;
        for (long batch = 0; batch < StepsPerEpoch; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            long start = batch * config.BatchSize;
            long count = Math.Min(config.BatchSize, train.Count - start);
            var index = order.narrow(0, start, count);
            var inputs = augmentation.Apply(train.Images.index_select(0, index));
            var labels = train.Labels.index_select(0, index);

            Flat.ZeroGrad();
            var logits = Model.call(inputs);
            var loss = TrainingLoss(logits, labels, config.LabelSmoothing);
            double value = loss.item<float>();
            if (!double.IsFinite(value))
            {
                string what = double.IsNaN(value) ? "NaN" : "infinite";
                return new EpochTrainResult(double.NaN, double.NaN, images, started.Elapsed.TotalSeconds, lr, $"loss became {what} at epoch {epoch} batch {batch + 1}");
            }
            loss.backward();
            lr = Schedule.At(Optimizer.Step);
            Optimizer.Apply(lr);

            correct.add_(logits.argmax(1).eq(labels).sum());
            lossSum += value * count;
            images += count;
            batchDone?.Invoke(new BatchProgress(epoch, batch + 1, StepsPerEpoch, lossSum / images, images, started.Elapsed.TotalSeconds));
        }
        double accuracy = images == 0 ? 0 : correct.item<long>() / (double)images;
        return new EpochTrainResult(images == 0 ? 0 : lossSum / images, accuracy, images, started.Elapsed.TotalSeconds, lr, null);
    }

    /// <summary>
    /// The first <paramref name="count"/> images of epoch 1's first batch exactly as training augments them (uint8,
    /// N x C x H x W, on the CPU), from generators of their own seeded as the session's are: the session's state is untouched.
    /// </summary>
    public byte[] FirstAugmentedBatch(int count)
    {
        using var scope = NewDisposeScope();
        using var shuffle = new Generator(ShuffleSeed(config));
        using var draws = new Generator(AugmentationSeed(config));
        var train = Data.Train;
        var order = randperm(train.Count, generator: shuffle).to(Device);
        var index = order.narrow(0, 0, Math.Min(config.BatchSize, train.Count));
        var batch = BatchAugmentation.For(config.Augmentation, Data.Mean, Data.Std, draws).Augment(train.Images.index_select(0, index));
        return batch.narrow(0, 0, Math.Min(count, batch.shape[0])).contiguous().cpu().data<byte>().ToArray();
    }

    /// <summary>
    /// The loss training minimises: mean cross-entropy against targets smoothed as PyTorch's <c>label_smoothing</c>
    /// does ((1 - s) on the true class plus s/K on every class; test <c>LabelSmoothingChangesTheLossExactlyAsPyTorch</c>).
    /// </summary>
    public static Tensor TrainingLoss(Tensor logits, Tensor labels, double labelSmoothing) =>
        nn.functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing);

    /// <summary>Plain cross-entropy (no label smoothing, so trials compare), accuracy and confusion matrix.</summary>
    /// <param name="batchDone">Called on this thread after each batch (a sign of life for the hung-trainer watchdog).</param>
    /// <param name="cancellationToken">Checked before every batch, like training: a large test set takes a while.</param>
    /// <param name="mostWrong">How many misclassified images to keep, highest loss first (0: none, the validation pass).</param>
    public EvaluationResult Evaluate(DeviceImageSet set, CancellationToken cancellationToken, Action? batchDone = null, int mostWrong = 0)
    {
        var worst = new List<MisclassifiedImage>();
        Model.eval();
        int k = Data.ClassNames.Count;
        using var noGrad = no_grad();
        using var lossSum = zeros([], ScalarType.Float64, Device);
        using var pairs = zeros([k * k], ScalarType.Int64, Device);
        for (long start = 0; start < set.Count; start += config.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            long count = Math.Min(config.BatchSize, set.Count - start);
            var inputs = BatchAugmentation.Normalize(set.Images.narrow(0, start, count), Data.Mean, Data.Std);
            var labels = set.Labels.narrow(0, start, count);
            var logits = Model.call(inputs);
            lossSum.add_(nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64));
            pairs.add_(labels.mul(k).add_(logits.argmax(1)).bincount(null, k * k));
            if (mostWrong > 0)
                KeepMostWrong(worst, logits, labels, start, mostWrong);
            batchDone?.Invoke();
        }

        var counts = pairs.cpu().data<long>().ToArray();
        var confusion = new long[k, k];
        long correct = 0;
        for (int i = 0; i < k * k; i++)
        {
            confusion[i / k, i % k] = counts[i];
            if (i / k == i % k)
                correct += counts[i];
        }
        double n = Math.Max(1, set.Count);
        return new EvaluationResult(lossSum.item<double>() / n, correct / n, confusion, worst);
    }

    // Only a batch's own top few leave the device: the running list never holds more than 2 x keep entries.
    private static void KeepMostWrong(List<MisclassifiedImage> worst, Tensor logits, Tensor labels, long start, int keep)
    {
        var predicted = logits.argmax(1);
        var losses = nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None).to_type(ScalarType.Float64);
        var wrongLosses = where(predicted.ne(labels), losses, full_like(losses, double.NegativeInfinity));
        var (values, indices) = wrongLosses.topk((int)Math.Min(keep, wrongLosses.shape[0]));
        var confidence = nn.functional.softmax(logits.to_type(ScalarType.Float64), 1).gather(1, predicted.unsqueeze(1)).squeeze(1);
        var loss = values.cpu().data<double>().ToArray();
        var index = indices.cpu().data<long>().ToArray();
        var label = labels.index_select(0, indices).cpu().data<long>().ToArray();
        var guess = predicted.index_select(0, indices).cpu().data<long>().ToArray();
        var probability = confidence.index_select(0, indices).cpu().data<double>().ToArray();
        for (int i = 0; i < loss.Length && loss[i] > double.NegativeInfinity; i++)
            worst.Add(new MisclassifiedImage(start + index[i], (int)label[i], (int)guess[i], probability[i], loss[i]));
        // Highest loss first; equal losses by index, so the list does not depend on the batch size.
        worst.Sort((a, b) => b.Loss != a.Loss ? b.Loss.CompareTo(a.Loss) : a.Index.CompareTo(b.Index));
        if (worst.Count > keep)
            worst.RemoveRange(keep, worst.Count - keep);
    }

    public void WriteCheckpoint(Stream stream, CheckpointHeader header) =>
        TrainingCheckpoint.Write(stream, header, Model.state_dict().Select(p => (p.Key, p.Value)), Optimizer.State,
            shuffleGenerator.get_state(), augmentationGenerator.get_state());

    /// <summary>Copies a checkpoint's model, optimizer and generator states into this session.</summary>
    public void Restore(TrainingCheckpoint checkpoint)
    {
        LoadModelState(checkpoint.Model);
        using (var noGrad = no_grad())
        {
            var optimizerState = checkpoint.Optimizer.ToDictionary(p => p.Key, p => p.Value.to(Device));
            try
            {
                Optimizer.Restore(checkpoint.Header.OptimizerStep, optimizerState);
            }
            finally
            {
                foreach (var tensor in optimizerState.Values)
                    tensor.Dispose();
            }
        }
        shuffleGenerator.set_state(checkpoint.ShuffleState);
        augmentationGenerator.set_state(checkpoint.AugmentationState);
    }

    /// <summary>Copies weights and buffers in place (keeps parameters inside the flat buffer).</summary>
    public void LoadModelState(IReadOnlyDictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        foreach (var (name, live) in Model.state_dict())
        {
            if (!state.TryGetValue(name, out var saved))
                throw new InvalidDataException($"Checkpoint lacks model entry '{name}'.");
            live.copy_(saved);
        }
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Flat.Dispose();
        Model.Dispose();
        shuffleGenerator.Dispose();
        augmentationGenerator.Dispose();
    }
}
