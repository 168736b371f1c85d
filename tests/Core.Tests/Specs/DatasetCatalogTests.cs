using Experiments.Core.Datasets;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

public sealed class DatasetCatalogTests
{
    [Fact]
    public void EveryDataSetIsInTheCatalogWithItsFacts()
    {
        Assert.Equal(Enum.GetValues<Dataset>(), DatasetCatalog.All.Select(d => d.Dataset));
        Assert.All(DatasetCatalog.All, d => Assert.Equal(10, d.ClassNames.Count));
        Assert.All(DatasetCatalog.All.Where(d => d.ChannelMean is not null), d => Assert.Equal(d.Shape.Channels, d.ChannelMean!.Count));
        Assert.All(DatasetCatalog.All.Where(d => d.ChannelStd is not null), d => Assert.Equal(d.Shape.Channels, d.ChannelStd!.Count));
    }

    [Fact]
    public void EveryRealDataSetFitsTheImageBudget()
    {
        Assert.All(
            DatasetCatalog.All.Where(d => d.TrainImages is not null),
            d => Assert.True((long)(d.TrainImages!.Value + d.TestImages!.Value) * d.Shape.Bytes <= DatasetCatalog.ImageMemoryBudget, d.Dataset.ToString()));
    }

    [Fact]
    public void TheLargestSyntheticSizeIsTheLargestThatFitsTheBudget()
    {
        var largest = new TrainingConfig { Dataset = Dataset.Synthetic, SyntheticSize = DatasetCatalog.MaxSyntheticSize };

        Assert.True(DatasetCatalog.ImageBytes(largest) <= DatasetCatalog.ImageMemoryBudget);
        Assert.True(DatasetCatalog.ImageBytes(largest with { SyntheticSize = DatasetCatalog.MaxSyntheticSize + 1 }) > DatasetCatalog.ImageMemoryBudget);
        // The training and validation images live in one array: past ~635k synthetic images it could not be allocated.
        var split = DatasetCatalog.Split(largest);
        Assert.True((long)(split.Train + split.Validation) * DatasetCatalog.Of(Dataset.Synthetic).Shape.Bytes < Array.MaxLength);
    }

    [Fact]
    public void ATrialsSplitFollowsItsConfig()
    {
        Assert.Equal(new SplitSizes(45_000, 5_000, 10_000), DatasetCatalog.Split(new TrainingConfig()));
        Assert.Equal(new SplitSizes(59_000, 1_000, 10_000), DatasetCatalog.Split(new TrainingConfig { Dataset = Dataset.FashionMnist, ValidationSize = 1_000 }));
        Assert.Equal(new SplitSizes(64, 6, 6), DatasetCatalog.Split(new TrainingConfig { Dataset = Dataset.Synthetic, SyntheticSize = 64 }));
        Assert.Equal(new SplitSizes(16, 1, 1), DatasetCatalog.Split(new TrainingConfig { Dataset = Dataset.Synthetic, SyntheticSize = 16 }));
    }
}
