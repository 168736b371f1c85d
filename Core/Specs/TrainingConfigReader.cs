namespace Experiments.Core.Specs;

/// <summary>
/// Reads the one config <c>train</c> runs, through the same reader and rules as a submitted sweep: a bare training
/// config (<c>epochs: 3</c> ...), or a sweep file, whose <c>base:</c> it takes after validating the whole sweep.
/// </summary>
public static class TrainingConfigReader
{
    /// <exception cref="SweepSpecException">The file is invalid; every problem is listed with its path.</exception>
    public static TrainingConfig Read(string text, SweepLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        limits.EnsureUsable();

        var root = SweepSpecReader.Read(text, limits);
        var isSweep = root is SpecMapping mapping && mapping.Entries.Any(e => SweepSpecValidator.TopLevelKeys.Contains(e.Key));
        TrainingConfig config;
        string path;
        if (isSweep)
        {
            var definition = SweepSpecValidator.Validate(root, limits);
            TrialPlanner.Plan(definition);
            (config, path) = (definition.Base, TrainingConfigBinder.BasePath);
        }
        else
        {
            var errors = new SpecErrorList();
            config = TrainingConfigBinder.Bind(root, string.Empty, limits, errors);
            errors.ThrowIfAny();
            path = string.Empty;
        }

        // The base itself must run too, not just the trials its parameters make of it.
        var problems = TrainingConfigValidator.Check(config, limits, path);
        return problems.Count == 0 ? config : throw new SweepSpecException(problems);
    }
}
