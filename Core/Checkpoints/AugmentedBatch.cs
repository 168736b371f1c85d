namespace Experiments.Core.Checkpoints;

/// <summary>
/// The picture of a trial's first augmented training batch that its worker writes beside the checkpoints
/// (<see cref="CheckpointStore.WriteImage"/>) and the Dashboard serves by trial id: its name and layout.
/// </summary>
public static class AugmentedBatch
{
    public const string ImageName = "augmented-batch";

    /// <summary>Images shown: the first of the batch (a batch may be smaller).</summary>
    public const int Images = 32;

    public const int Columns = 8;
}
