namespace Experiments.Worker.Training;

/// <summary>How many CPU threads torch uses; bound from the <c>Training</c> section. Checkpoints: <c>Checkpoints:Root</c>.</summary>
public sealed class TrainingOptions
{
    public const string SectionName = "Training";

    /// <summary>torch intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; set; }
}
