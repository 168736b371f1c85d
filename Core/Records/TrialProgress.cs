using System.Text.Json.Serialization;

namespace Experiments.Core.Records;

/// <summary>
/// Where a running attempt stands inside its epoch, as its worker last reported it with a lease renewal (fenced like
/// it): <see cref="Batch"/> of <see cref="Batches"/> training batches of <see cref="Epoch"/> done, the mean loss over
/// them and the pace so far. The store keeps only the latest report of the current attempt. Only the reported facts
/// are stored and served; what is derived from them (pace, share done, time left) is computed by whoever shows them.
/// </summary>
public sealed record TrialProgress(
    int Attempt,
    int Epoch,
    int Epochs,
    long Batch,
    long Batches,
    double Loss,
    double ImagesPerSecond,
    double Seconds)
{
    /// <summary>The trial reporting (set by the queue when it stores the report).</summary>
    public string? TrialId { get; init; }

    /// <summary>Seconds per training batch in this epoch so far; null before the first batch.</summary>
    [JsonIgnore]
    public double? SecondsPerBatch => Batch > 0 && Seconds > 0 ? Seconds / Batch : null;

    /// <summary>How much of the trial's training is done: finished epochs plus this one's share of batches, 0 to 1.</summary>
    [JsonIgnore]
    public double Fraction =>
        Epochs <= 0 || Batches <= 0 ? 0 : Math.Clamp((Epoch - 1 + Math.Clamp((double)Batch / Batches, 0, 1)) / Epochs, 0, 1);

    /// <summary>Until this epoch's training batches are done, at this epoch's pace; null before the first batch.</summary>
    [JsonIgnore]
    public TimeSpan? EpochRemaining => SecondsPerBatch is { } pace ? TimeSpan.FromSeconds(pace * Math.Max(0, Batches - Batch)) : null;

    /// <summary>
    /// Until the trial's last epoch ends: the rest of this epoch at its pace, then each remaining epoch at
    /// <paramref name="epochSeconds"/> (a finished epoch's mean wall time, which includes validation) or, before any
    /// epoch finished, at this epoch's training pace. Null before the first batch.
    /// </summary>
    public TimeSpan? Remaining(double? epochSeconds = null)
    {
        if (EpochRemaining is not { } rest || SecondsPerBatch is not { } pace)
        {
            return null;
        }

        var perEpoch = epochSeconds is > 0 ? epochSeconds.Value : pace * Batches;
        return rest + TimeSpan.FromSeconds(perEpoch * Math.Max(0, Epochs - Epoch));
    }
}
