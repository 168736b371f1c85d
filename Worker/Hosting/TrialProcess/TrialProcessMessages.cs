using System.Diagnostics;
using System.Text.Json.Serialization;
using Experiments.Core.Checkpoints;
using Experiments.Core.Datasets;
using Experiments.Core.Records;
using Experiments.Worker.Training;

namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// The first line the worker writes to its trainer child: the attempt and the settings the worker validated (the
/// child reads no configuration of its own, so it trains exactly as the worker would in-process).
/// </summary>
public sealed record TrialProcessStart(TrialRun Run, TrainingOptions Training, DataOptions Data, string CheckpointRoot);

/// <summary>One line from the worker to its trainer child, after <see cref="TrialProcessStart"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(EpochAnswer), "epoch_answer")]
[JsonDerivedType(typeof(StopTraining), "stop")]
public abstract record ToTrainer;

/// <summary>The answer to an <see cref="EpochReported"/>: false when the lease was lost; the prune reason once pruned.</summary>
public sealed record EpochAnswer(bool Accepted, string? PruneReason) : ToTrainer;

/// <summary>Stop before the next batch (graceful stop, lost lease, cancel, watchdog): the child reports <see cref="TrainingCancelled"/>.</summary>
public sealed record StopTraining : ToTrainer;

/// <summary>One line from the trainer child to its worker: an <see cref="ITrainingObserver"/> call, a span, a log line or the end.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(EpochReported), "epoch")]
[JsonDerivedType(typeof(ProgressReported), "progress")]
[JsonDerivedType(typeof(BatchReported), "batch")]
[JsonDerivedType(typeof(StillWorkingReported), "alive")]
[JsonDerivedType(typeof(SpanStarted), "span_start")]
[JsonDerivedType(typeof(SpanStopped), "span_stop")]
[JsonDerivedType(typeof(TrainerLogged), "log")]
[JsonDerivedType(typeof(TrainingEnded), "ended")]
[JsonDerivedType(typeof(TrainingCancelled), "cancelled")]
[JsonDerivedType(typeof(TrainingFaulted), "faulted")]
public abstract record FromTrainer;

/// <summary>An epoch whose checkpoint files are durable; the child waits for the <see cref="EpochAnswer"/>.</summary>
public sealed record EpochReported(EpochMetrics Metrics, TrialCheckpoints Checkpoints) : FromTrainer;

public sealed record ProgressReported(string Message) : FromTrainer;

public sealed record BatchReported(BatchProgress Progress) : FromTrainer;

public sealed record StillWorkingReported : FromTrainer;

/// <summary>
/// A span the trainer started; <paramref name="ParentId"/> is the child's id of its parent span, null for a span
/// directly under the attempt's. The worker re-creates it under its own trial span and exports it.
/// </summary>
public sealed record SpanStarted(string Id, string? ParentId, string Name, DateTime Start) : FromTrainer;

public sealed record SpanStopped(
    string Id, DateTime End, IReadOnlyList<SpanTag> Tags, ActivityStatusCode Status, string? StatusDescription, IReadOnlyList<SpanEvent> Events) : FromTrainer;

/// <summary>A span attribute with its type kept (numbers stay numbers in the exported trace).</summary>
public sealed record SpanTag(string Key, string? Text = null, long? Integer = null, double? Number = null, bool? Flag = null)
{
    public static SpanTag Of(string key, object? value) => value switch
    {
        int i => new(key, Integer: i),
        long l => new(key, Integer: l),
        double d => new(key, Number: d),
        float f => new(key, Number: f),
        bool b => new(key, Flag: b),
        _ => new(key, Text: Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };

    public object? Value => (object?)Integer ?? (object?)Number ?? (object?)Flag ?? Text;
}

public sealed record SpanEvent(string Name, DateTimeOffset Timestamp, IReadOnlyList<SpanTag> Tags);

/// <summary>A log line of the trainer, written to the worker's log under the trainer's category.</summary>
public sealed record TrainerLogged(LogLevel Level, string Category, string Message, string? Exception) : FromTrainer;

public sealed record TrainingEnded(TrialOutcome Outcome) : FromTrainer;

/// <summary>Training stopped because it was told to (or its epoch report was refused): an <see cref="OperationCanceledException"/> in-process.</summary>
public sealed record TrainingCancelled(string Message) : FromTrainer;

/// <summary>The trainer threw: <paramref name="Reason"/> as the attempt records it, <paramref name="Detail"/> (with the stack) for the log.</summary>
public sealed record TrainingFaulted(string Reason, string Detail) : FromTrainer;
