namespace Experiments.Core.Records;

/// <summary>How an attempt ended, as the worker reports it.</summary>
public enum OutcomeKind
{
    /// <summary>All epochs ran; <see cref="TrialOutcome.Evaluations"/> holds the test results.</summary>
    Completed,

    /// <summary>Loss became NaN or infinite; final, not retried.</summary>
    Diverged,

    /// <summary>A user cancelled the trial or its sweep; final.</summary>
    Cancelled,

    /// <summary>The trial itself failed the attempt; retried until it has failed <c>Store:MaxAttempts</c> times.</summary>
    Failed,

    /// <summary>
    /// The infrastructure ended the attempt (graceful stop, preemption, store unreachable; a lost worker is recorded
    /// as LeaseExpired): requeued at once under <c>Store:MaxInterruptions</c>, not counted as a failure.
    /// </summary>
    Interrupted,
    /// <summary>The early-termination rule stopped it (reason: rung and comparison); final, with test results.</summary>
    Pruned,
}

/// <summary>The end of one attempt.</summary>
public sealed record TrialOutcome(OutcomeKind Kind, string? Reason, IReadOnlyList<EvaluationReport> Evaluations)
{
    public static TrialOutcome Completed(IReadOnlyList<EvaluationReport> evaluations) => new(OutcomeKind.Completed, null, evaluations);
    public static TrialOutcome Diverged(string reason) => new(OutcomeKind.Diverged, reason, []);
    public static TrialOutcome Cancelled(string reason) => new(OutcomeKind.Cancelled, reason, []);
    public static TrialOutcome Failed(string reason) => new(OutcomeKind.Failed, reason, []);
    public static TrialOutcome Interrupted(string reason) => new(OutcomeKind.Interrupted, reason, []);
    public static TrialOutcome Pruned(string reason, IReadOnlyList<EvaluationReport> evaluations) => new(OutcomeKind.Pruned, reason, evaluations);
}
