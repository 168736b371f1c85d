namespace Experiments.Core.Specs;

/// <summary>One problem in a sweep file, located by its path (e.g. <c>parameters.lr.min</c>).</summary>
public sealed record SpecError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
