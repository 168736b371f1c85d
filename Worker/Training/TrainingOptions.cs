namespace Experiments.Worker.Training;

/// <summary>Where checkpoints go and how many CPU threads torch uses; bound from the <c>Training</c> section.</summary>
public sealed class TrainingOptions
{
    public const string SectionName = "Training";

    /// <summary>Root folder of <c>&lt;trialId&gt;/&lt;last|best&gt;.ckpt</c> and <c>imports/&lt;id&gt;.pt</c>.</summary>
    public string CheckpointRoot { get; set; } = "checkpoints";

    /// <summary>torch intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; set; }
}
