namespace Experiments.Worker.Training;

/// <summary>
/// Where a trial's training stands: the last finished epoch and the best one so far. <c>best</c> is the epoch of the
/// highest validation accuracy; on a tie the earlier epoch stays best (fewer epochs, same result). Mutated by the
/// epoch loop only.
/// </summary>
internal sealed class TrainingProgress(int epoch = 0, double? bestValAccuracy = null, int bestEpoch = 0)
{
    public int Epoch { get; private set; } = epoch;
    public double? BestValAccuracy { get; private set; } = bestValAccuracy;
    public int BestEpoch { get; private set; } = bestEpoch;

    /// <summary>Records a finished epoch's validation accuracy; true when it is the new best.</summary>
    public bool Record(int epoch, double valAccuracy)
    {
        Epoch = epoch;
        if (BestValAccuracy is { } best && !(valAccuracy > best))
            return false;
        BestValAccuracy = valAccuracy;
        BestEpoch = epoch;
        return true;
    }
}
