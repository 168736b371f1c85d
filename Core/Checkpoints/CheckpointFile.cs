namespace Experiments.Core.Checkpoints;

/// <summary>One stored checkpoint of a trial, as listed for the dashboard.</summary>
public sealed record CheckpointFile(string Name, long Size, DateTimeOffset Modified);
