namespace Experiments.Core.Checkpoints;

/// <summary>
/// Where checkpoints live; bound from the <c>Checkpoints</c> section by the Worker (which writes them) and the
/// Dashboard (which lists and downloads them). One key for both: <c>Checkpoints:Root</c>
/// (<c>Checkpoints__Root</c> in the environment), a shared mount when workers run on several machines.
/// </summary>
public sealed class CheckpointOptions
{
    public const string SectionName = "Checkpoints";

    /// <summary>The full key, for messages and for hosts that read it directly.</summary>
    public const string RootKey = SectionName + ":" + nameof(Root);

    /// <summary>Root folder of <c>&lt;trialId&gt;/&lt;name&gt;.ckpt</c> and <c>imports/&lt;id&gt;.pt</c>; relative to the working folder.</summary>
    public string Root { get; set; } = "checkpoints";
}
