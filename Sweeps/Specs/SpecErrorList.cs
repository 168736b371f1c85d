namespace Experiments.Sweeps.Specs;

/// <summary>
/// Collects validation errors. Capped so a file with a hundred thousand bad keys yields a readable report
/// (and a bounded response) rather than a hundred thousand lines.
/// </summary>
internal sealed class SpecErrorList
{
    public const int MaxReported = 100;

    private readonly List<SpecError> errors = [];
    private readonly HashSet<SpecError> seen = [];
    private int dropped;

    public bool Any => errors.Count > 0;

    public int Count => errors.Count + dropped;

    public void Add(string path, string message)
    {
        var error = new SpecError(path, message);
        if (!seen.Add(error))
        {
            return;
        }

        if (errors.Count < MaxReported)
        {
            errors.Add(error);
        }
        else
        {
            dropped++;
        }
    }

    public IReadOnlyList<SpecError> ToList() =>
        dropped == 0 ? [.. errors] : [.. errors, new SpecError(SpecPath.Document, $"{dropped} more problems not shown")];

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new SweepSpecException(ToList());
        }
    }
}
