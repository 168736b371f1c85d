using System.Diagnostics;
using Experiments.Core;
using Experiments.Core.Checkpoints;
using Experiments.Core.Datasets;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Worker.Training.Checkpointing;
using Experiments.Worker.Training.Data;
using Experiments.Worker.Training.Evaluation;
using Experiments.Worker.Training.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Worker.Training;

/// <summary>
/// Runs a trial epoch by epoch: train, validate, write <c>last</c> (and <c>best</c>) durably, then report the epoch.
/// Resumes from <c>last</c> when it exists, re-reporting that epoch first (the queue deduplicates). Torch work runs
/// in synchronous chunks on the trial's own <see cref="TrainingThread"/>, never on the thread pool, so no dispose
/// scope ever spans an await and a saturated pool cannot hold training (or its cancellation) back.
/// </summary>
public sealed partial class TrialTrainer : ITrialTrainer
{
    private readonly CheckpointStore store;
    private readonly DataOptions dataOptions;
    private readonly long? testHangInBatch;
    private readonly bool testHangInStart;
    private readonly long? testCrashInBatch;
    private readonly string testCrash;
    private readonly ILogger<TrialTrainer> logger;

    public TrialTrainer(CheckpointStore store, IOptions<TrainingOptions> options, IOptions<DataOptions> dataOptions, ILogger<TrialTrainer> logger)
    {
        this.store = store;
        this.dataOptions = dataOptions.Value;
        testHangInBatch = options.Value.TestHangInBatch;
        testHangInStart = options.Value.TestHangInStart;
        testCrashInBatch = options.Value.TestCrashInBatch;
        testCrash = options.Value.TestCrash;
        this.logger = logger;
        if (options.Value.Threads > 0)
            set_num_threads(options.Value.Threads);
    }

    public async Task<TrialOutcome> TrainAsync(TrialRun run, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        var config = run.Config;
        // The rules the sweep was admitted by, again: a record from an older version may hold what they now refuse.
        // No admission caps here: the Dashboard that admitted the sweep applied its own.
        var problems = TrainingConfigValidator.Check(config, SweepLimits.Unlimited);
        if (problems.Count > 0)
            return TrialOutcome.Failed("Invalid config: " + string.Join("; ", problems));
        if (!CheckpointId.IsValid(run.TrialId))
            return TrialOutcome.Failed($"Trial id '{run.TrialId}' {CheckpointId.Rule}.");

        // Whether bf16 runs depends on the machine that claimed the trial, so only the worker can refuse it.
        if (config.Precision == Precision.Bf16 && Bf16Support.Problem(run.Device) is { } bf16Problem)
            return TrialOutcome.Failed($"Invalid config: precision: bf16 {bf16Problem}.");

        using var thread = new TrainingThread($"trial {run.TrialId}");
        // Synthetic data is generated synchronously inside LoadAsync: start it on the training thread too.
        var raw = await await thread.RunAsync(
            () => DatasetLoader.LoadAsync(config, dataOptions, new SynchronousProgress(observer.Progress), cancellationToken), cancellationToken);
        var device = torch.device(run.Device);
        var policy = CheckpointPolicy.For(config.Checkpoint);

        using var data = await thread.RunAsync(() => DataSplits.Create(raw, DatasetCatalog.Split(config).Validation, config.Seed, device), cancellationToken);
        Action<ResNet34>? initialize = config.InitFrom is null ? null : m => InitialWeights.Load(m, config.InitFrom, store, observer.Progress, run.InitFromCommitted);
        using var session = await thread.RunAsync(() =>
        {
            if (testHangInStart && run.Attempt == 1)
            {
                LogHeldInStart(run.TrialId);
                Thread.Sleep(Timeout.Infinite); // Training:TestHangInStart: a start that does not hear a stop, for the graceful stop's tests
            }

            return TrainingSession.Create(config, data, device, initialize);
        }, cancellationToken);
        // From here on every batch is a sign of life: the hung-trainer watchdog is armed (data loading is not watched).
        observer.StillWorking();

        await thread.RunAsync(() => WriteAugmentedBatch(session, run.TrialId), cancellationToken);

        var state = new TrainingProgress();
        // Only what the trial's record committed is read: files an attempt that lost its lease wrote are never.
        var files = new AttemptCheckpointFiles(store, run, policy);
        if (files.Last is { } resumeFrom)
        {
            var header = await thread.RunAsync(() => Resume(session, run.TrialId, resumeFrom), cancellationToken);
            state = new TrainingProgress(header.Epoch, header.BestValAccuracy, header.BestEpoch);
            LogResumed(run.TrialId, header.Epoch);
            observer.Progress($"Resumed from epoch {header.Epoch}.");
            await ReportAsync(observer, header.Metrics, files, header.Epoch, files.Current, cancellationToken);
        }

        // An epoch's report may come back pruned (early termination): no further batch then.
        for (int epoch = state.Epoch + 1; epoch <= config.Epochs && observer.PruneReason is null; epoch++)
        {
            using var activity = WorkerTelemetry.ActivitySource.StartActivity("epoch");
            activity?.SetTag(TelemetryTags.TrialId, run.TrialId);
            activity?.SetTag(TelemetryTags.TrialAttempt, run.Attempt);
            activity?.SetTag(TelemetryTags.Epoch, epoch);

            int current = epoch;
            var result = await thread.RunAsync(() => RunEpoch(session, run, current, files, state, observer, cancellationToken), cancellationToken);
            if (result.Divergence is not null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, result.Divergence);
                LogDiverged(run.TrialId, result.Divergence);
                return TrialOutcome.Diverged(result.Divergence);
            }
            // The trial's curve rides on its epoch spans; metrics carry no trial ids (see WorkerMetrics).
            var metrics = result.Metrics!;
            activity?.SetTag(TelemetryTags.TrainLoss, metrics.TrainLoss);
            activity?.SetTag(TelemetryTags.TrainAccuracy, metrics.TrainAccuracy);
            activity?.SetTag(TelemetryTags.ValLoss, metrics.ValLoss);
            activity?.SetTag(TelemetryTags.ValAccuracy, metrics.ValAccuracy);
            observer.Progress(EpochSummary.Format(metrics, config.Epochs));
            await ReportAsync(observer, metrics, files, epoch, result.Written!, cancellationToken);
        }

        // `last` stays even when the policy drops it: the caller retires it once the completion is recorded
        // (CheckpointRetention), so a crash before that still resumes instead of starting over.
        var reports = await thread.RunAsync(() => EvaluateTest(session, run.TrialId, files, state, observer, cancellationToken), cancellationToken);
        foreach (var report in reports)
            observer.Progress($"Test ({report.Checkpoint}, epoch {report.Epoch}): loss {report.Loss:F4} - acc {report.Accuracy:F4} - macro F1 {report.MacroF1:F4}");
        // A pruned trial keeps its checkpoints and test results exactly as a completed one does.
        return observer.PruneReason is { } pruned ? TrialOutcome.Pruned(pruned, reports) : TrialOutcome.Completed(reports);
    }

    /// <summary>Reports the epoch with the files holding it; the host commits them under the lease, or refuses both.</summary>
    private async Task ReportAsync(
        ITrainingObserver observer, EpochMetrics metrics, AttemptCheckpointFiles files, int epoch, TrialCheckpoints written, CancellationToken cancellationToken)
    {
        // A refused report leaves its files: only the host, once it knows what the record commits, removes them.
        if (!await observer.EpochCompletedAsync(metrics, written, cancellationToken))
            throw new OperationCanceledException("The trial's lease was lost; stopping.");

        Tidy(() => files.Commit(epoch, written));
    }

    /// <summary>Removing superseded files is housekeeping: a failure leaves them for the next commit or the retention at the end.</summary>
    private void Tidy(Action remove)
    {
        try
        {
            remove();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogCheckpointsNotRemoved(exception);
        }
    }

    private CheckpointHeader Resume(TrainingSession session, string trialId, string file)
    {
        using var stream = store.OpenRead(trialId, file);
        using var checkpoint = TrainingCheckpoint.Read(stream);
        session.Restore(checkpoint);
        return checkpoint.Header;
    }

    private (EpochMetrics? Metrics, string? Divergence, TrialCheckpoints? Written) RunEpoch(
        TrainingSession session, TrialRun run, int epoch, AttemptCheckpointFiles files, TrainingProgress state, ITrainingObserver observer,
        CancellationToken cancellationToken)
    {
        var trialId = run.TrialId;
        var started = Stopwatch.StartNew();
        EpochTrainResult train;
        using (var span = WorkerTelemetry.ActivitySource.StartActivity("train"))
        {
            train = session.TrainEpoch(epoch, batch =>
            {
                if (run.Attempt == 1 && epoch == 1 && batch.Batch == testHangInBatch)
                    Thread.Sleep(Timeout.Infinite); // Training:TestHangInBatch: a wedged call, for the watchdog's tests
                if (run.Attempt == 1 && epoch == 1 && batch.Batch == testCrashInBatch)
                    NativeCrash.Now(testCrash); // Training:TestCrashInBatch: a native crash, for the trainer process's tests
                observer.BatchCompleted(batch);
            }, cancellationToken);
            span?.SetTag(TelemetryTags.Images, train.Images);
        }
        if (train.Divergence is not null)
            return (null, train.Divergence, null);

        EvaluationResult validation;
        using (WorkerTelemetry.ActivitySource.StartActivity("validate"))
            validation = session.Evaluate(session.Data.Validation, cancellationToken, observer.StillWorking);

        bool improved = state.Record(epoch, validation.Accuracy);

        var metrics = new EpochMetrics(epoch, train.Loss, train.Accuracy, validation.Loss, validation.Accuracy,
            train.LastLearningRate, 0, train.Seconds > 0 ? train.Images / train.Seconds : 0);
        using (WorkerTelemetry.ActivitySource.StartActivity("checkpoint"))
        {
            // Wall time covers train + validate; checkpoint writing is small next to them.
            metrics = metrics with { WallSeconds = started.Elapsed.TotalSeconds };
            var header = new CheckpointHeader(epoch, session.Optimizer.Step, state.BestValAccuracy, state.BestEpoch, metrics);
            // `last` is always written: it is what a resumed attempt continues from, whatever the policy keeps at the end.
            string last = files.LastFor(epoch);
            store.Write(trialId, last, s => session.WriteCheckpoint(s, header));
            string? best = files.Best;
            if (files.KeepsBest && improved)
            {
                best = files.BestFor(epoch);
                if (best != last)
                    store.Write(trialId, best, s => session.WriteCheckpoint(s, header));
            }
            observer.StillWorking();
            return (metrics, null, new TrialCheckpoints(last, best));
        }
    }

    private List<EvaluationReport> EvaluateTest(
        TrainingSession session, string trialId, AttemptCheckpointFiles files, TrainingProgress state, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        using var span = WorkerTelemetry.ActivitySource.StartActivity("test");
        var names = session.Data.ClassNames;
        const int keep = ClassificationReport.MostWrongKept;
        var last = session.Evaluate(session.Data.Test, cancellationToken, observer.StillWorking, keep);
        List<EvaluationReport> reports = [ClassificationReport.Create(CheckpointPolicy.Last, state.Epoch, last.Loss, last.Confusion, names, last.MostWrong)];
        if (files.Best is { } bestFile && store.Exists(trialId, bestFile))
        {
            using (var stream = store.OpenRead(trialId, bestFile))
            using (var checkpoint = TrainingCheckpoint.Read(stream))
                session.LoadModelState(checkpoint.Model);
            var best = session.Evaluate(session.Data.Test, cancellationToken, observer.StillWorking, keep);
            reports.Insert(0, ClassificationReport.Create(CheckpointPolicy.Best, state.BestEpoch, best.Loss, best.Confusion, names, best.MostWrong));
        }
        return reports;
    }

    /// <summary>
    /// The trial's first augmented batch as one picture beside its checkpoints, for the Dashboard (the notebook's look at
    /// an augmented batch). Deterministic from the seed, so a resumed attempt finds it there; losing it costs no training.
    /// </summary>
    /// <returns>Whether it was written now.</returns>
    private bool WriteAugmentedBatch(TrainingSession session, string trialId)
    {
        try
        {
            if (store.ImageExists(trialId, AugmentedBatch.ImageName))
                return false;
            var shape = session.Data.Train.Images.shape;
            var pixels = session.FirstAugmentedBatch(AugmentedBatch.Images);
            int count = pixels.Length / (int)(shape[1] * shape[2] * shape[3]);
            var (grid, height, width) = ImageGrid.Compose(pixels, count, (int)shape[1], (int)shape[2], (int)shape[3], AugmentedBatch.Columns);
            store.WriteImage(trialId, AugmentedBatch.ImageName, PngImage.Encode(grid, (int)shape[1], height, width));
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogAugmentedBatchNotWritten(trialId, exception);
            return false;
        }
    }

    /// <summary>Forwards at once on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} is held in its start for good (Training:TestHangInStart, a test setting)")]
    private partial void LogHeldInStart(string trialId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} resumed after epoch {Epoch}")]
    private partial void LogResumed(string trialId, int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId}'s first augmented batch was not written for the Dashboard")]
    private partial void LogAugmentedBatchNotWritten(string trialId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Superseded checkpoint files were not removed; the trial's retention takes them")]
    private partial void LogCheckpointsNotRemoved(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} diverged: {Reason}")]
    private partial void LogDiverged(string trialId, string reason);
}
