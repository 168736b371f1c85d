// Temporary stand-ins for contracts being written on other branches, so this branch builds on its own.
// The lead deletes this file at merge time; the real declarations replace it unchanged in shape.
#pragma warning disable CS9113

namespace Experiments.Sweeps.Specs
{
    /// <summary>Stand-in: parses and validates a sweep file into a plan (the real one is in Sweeps/Specs).</summary>
    public static class SweepSpecParser
    {
        public static SweepPlan Parse(string text, SweepLimits limits) => throw new NotImplementedException();
    }

    /// <summary>Stand-in: configurable caps on sweep size.</summary>
    public sealed record SweepLimits(int MaxTrials = 10_000, int MaxEpochs = 500, int MaxBatchSize = 4096, int MaxSourceBytes = 1_000_000, int MaxSeeds = 100);

    /// <summary>Stand-in: one validation problem at a path such as <c>parameters.lr.min</c>.</summary>
    public sealed record SpecError(string Path, string Message);

    /// <summary>Stand-in: every problem found in a sweep file.</summary>
    public sealed class SweepSpecException(IReadOnlyList<SpecError> errors)
        : Exception(string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")))
    {
        public IReadOnlyList<SpecError> Errors { get; } = errors;
    }
}

namespace Experiments.Sweeps.Checkpoints
{
    /// <summary>Stand-in: a stored checkpoint of a trial.</summary>
    public sealed record CheckpointInfo(string Name);

    /// <summary>Stand-in: lists and opens a trial's checkpoints under the checkpoint root.</summary>
    public sealed class CheckpointStore
    {
        public IReadOnlyList<CheckpointInfo> List(string trialId) => throw new NotImplementedException();
        public Stream OpenRead(string trialId, string name) => throw new NotImplementedException();
    }
}
