using System.Diagnostics;

namespace Experiments.Worker;

/// <summary>The Worker's trace source and meter names (registered by ServiceDefaults through the "Experiments." prefix).</summary>
public static class WorkerTelemetry
{
    public const string Name = "Experiments.Worker";

    /// <summary>Spans: one per trial attempt, one per epoch under it, with train/validate/checkpoint children.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);
}
