namespace Experiments.Core.Specs;

/// <summary>Unwinds a reader at the first syntax problem; the reader turns it into a located <see cref="SpecError"/>.</summary>
internal sealed class SpecSyntaxException(long line, long column, string reason) : Exception(reason)
{
    public long Line { get; } = line;

    public long Column { get; } = column;
}
