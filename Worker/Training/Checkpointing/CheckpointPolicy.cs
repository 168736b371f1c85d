using Experiments.Core.Specs;

namespace Experiments.Worker.Training.Checkpointing;

/// <summary>What a trial's <c>checkpoint</c> setting means for its files: whether <c>best</c> is kept, and <c>last</c> at the end.</summary>
public sealed record CheckpointPolicy(bool KeepsBest, bool KeepsLastAtEnd)
{
    public const string Last = "last";
    public const string Best = "best";

    public static CheckpointPolicy For(KeptCheckpoints kept) => kept switch
    {
        KeptCheckpoints.Last => new(KeepsBest: false, KeepsLastAtEnd: true),
        KeptCheckpoints.Best => new(KeepsBest: true, KeepsLastAtEnd: false),
        KeptCheckpoints.BestLast => new(KeepsBest: true, KeepsLastAtEnd: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kept), kept, "not a checkpoint policy"),
    };
}
