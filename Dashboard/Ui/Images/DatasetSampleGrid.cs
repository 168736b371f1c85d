using Experiments.Core.Datasets;
using Experiments.Core.Specs;
using Experiments.Dashboard.Api;

namespace Experiments.Dashboard.Ui.Images;

/// <summary>One page of a data set part's images for the Data set page: each with its class name and address, and where the next page starts.</summary>
public sealed record DatasetSampleGrid(Dataset Dataset, DatasetPart Part, int Images, IReadOnlyList<string> ClassNames, IReadOnlyList<SampleImage> Samples, int? NextStart)
{
    public const int PageSize = 32;

    public static DatasetSampleGrid Of(TrainingConfig config, DatasetPart part, RawImageSet set, int start)
    {
        start = Math.Clamp(start, 0, Math.Max(0, set.Count - 1));
        int? seed = config.Dataset == Dataset.Synthetic ? config.Seed : null;
        var samples = Enumerable.Range(start, Math.Min(PageSize, set.Count - start))
            .Select(i => new SampleImage(i, (int)set.Labels[i], set.ClassNames[(int)set.Labels[i]], DatasetImagesApi.ImageUrl(config.Dataset, part, i, seed)))
            .ToList();
        int next = start + samples.Count;
        return new DatasetSampleGrid(config.Dataset, part, set.Count, set.ClassNames, samples, next < set.Count ? next : null);
    }
}
