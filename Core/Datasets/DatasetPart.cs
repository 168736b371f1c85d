namespace Experiments.Core.Datasets;

/// <summary>One of a data set's official parts: indices into it are what the store records (the test images a trial got wrong).</summary>
public enum DatasetPart
{
    /// <summary>The official training part (the validation images are split off it, seeded, per trial).</summary>
    Train,

    /// <summary>The official test part, in file order.</summary>
    Test,
}
