namespace Experiments.Core.Specs;

/// <summary>
/// Checks a typed <see cref="TrainingConfig"/> (a claimed trial's, <c>train</c>'s) by the same rules sweep files are
/// read by: every field's own rule in <see cref="TrainingConfigFields"/>, then <see cref="ConfigConsistency"/>. A record
/// written by an older version that today's rules refuse fails here, with the field named.
/// </summary>
public static class TrainingConfigValidator
{
    /// <param name="limits">
    /// The admission caps; a worker passes <see cref="SweepLimits.Unlimited"/>, since the caps were applied when the
    /// sweep was submitted (with whatever limits that Dashboard had) and only what cannot run is its business.
    /// </param>
    /// <param name="path">Prefix of the reported paths (<c>base</c> gives <c>base.batch_size</c>); empty for the bare names.</param>
    /// <returns>Every problem, each at its field's path; empty when the config can run.</returns>
    public static IReadOnlyList<SpecError> Check(TrainingConfig config, SweepLimits limits, string path = "")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(limits);
        var errors = new SpecErrorList();
        foreach (var field in TrainingConfigFields.All)
        {
            if (field.Problem(field.Get(config), limits) is { } problem)
            {
                errors.Add(SpecPath.Key(path, field.Name), problem);
            }
        }

        // Cross-field rules assume each field is in range (a catalog lookup needs a declared data set).
        if (!errors.Any)
        {
            foreach (var (field, message) in ConfigConsistency.Violations(config))
            {
                errors.Add(SpecPath.Key(path, field), message);
            }
        }

        return errors.ToList();
    }
}
