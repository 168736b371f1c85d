namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// The trainer child threw: <see cref="Reason"/> is what the attempt records (as in-process training would record the
/// exception), the message the child's whole exception text for the log.
/// </summary>
public sealed class TrainerFaultedException(string reason, string detail) : Exception(detail)
{
    public string Reason { get; } = reason;
}
