namespace Experiments.Core.Specs;

/// <summary>
/// Collects validation errors. Capped so a file with a hundred thousand bad keys yields a readable report
/// (and a bounded response) rather than a hundred thousand lines.
/// </summary>
internal sealed class SpecErrorList
{
    public const int MaxReported = 100;

    private readonly List<SpecError> _errors = [];
    private readonly HashSet<SpecError> _seen = [];
    private int _dropped;

    public bool Any => _errors.Count > 0;

    public void Add(string path, string message)
    {
        var error = new SpecError(path, message);
        if (!_seen.Add(error))
        {
            return;
        }

        if (_errors.Count < MaxReported)
        {
            _errors.Add(error);
        }
        else
        {
            _dropped++;
        }
    }

    public IReadOnlyList<SpecError> ToList() =>
        _dropped == 0 ? [.. _errors] : [.. _errors, new SpecError(SpecPath.Document, $"{_dropped} more problems not shown")];

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new SweepSpecException(ToList());
        }
    }
}
