namespace Experiments.Core.Specs;

/// <summary>A sweep file was rejected; <see cref="Errors"/> lists every problem found, not just the first.</summary>
public sealed class SweepSpecException(IReadOnlyList<SpecError> errors) : Exception(Describe(errors))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;

    private static string Describe(IReadOnlyList<SpecError> errors) =>
        errors.Count == 1
            ? $"Invalid sweep spec: {errors[0]}"
            : $"Invalid sweep spec ({errors.Count} problems): {string.Join("; ", errors.Take(10))}";
}
