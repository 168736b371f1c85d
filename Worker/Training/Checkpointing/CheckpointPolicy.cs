namespace Experiments.Worker.Training.Checkpointing;

/// <summary>Which checkpoint files a trial keeps: <c>last</c>, <c>best</c> or <c>best_last</c>.</summary>
public sealed record CheckpointPolicy(bool KeepsBest, bool KeepsLastAtEnd)
{
    public const string Last = "last";
    public const string Best = "best";

    public static readonly IReadOnlyList<string> Names = ["last", "best", "best_last"];

    public static CheckpointPolicy Parse(string name) => name switch
    {
        "last" => new(KeepsBest: false, KeepsLastAtEnd: true),
        "best" => new(KeepsBest: true, KeepsLastAtEnd: false),
        "best_last" => new(KeepsBest: true, KeepsLastAtEnd: true),
        _ => throw new ArgumentException($"Unknown checkpoint policy '{name}' ({string.Join(", ", Names)}).", nameof(name)),
    };
}
