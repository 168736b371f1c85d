using Bunit;
using Experiments.Core.Datasets;
using Experiments.Core.Specs;
using Experiments.Dashboard.Components.Pages;
using Experiments.Dashboard.Ui.Images;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Tests;

/// <summary>The data set page: images with their class names, the next page, and why nothing shows when it cannot.</summary>
public sealed class DatasetImagesPageTests : BunitContext
{
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "dashboard-data-" + Guid.NewGuid().ToString("N"));

    public DatasetImagesPageTests()
    {
        Services.AddMemoryCache();
        Services.AddSingleton(Options.Create(new DataOptions { Root = _dataRoot, FashionMnistSystemFolders = [] }));
        Services.AddSingleton<DatasetImageCache>();
    }

    [Fact]
    public void ADataSetsImagesShowWithTheirClassNames()
    {
        var expected = SyntheticDataset.Create(DatasetCatalog.Split(new TrainingConfig { Dataset = Dataset.Synthetic, Seed = 5 }), 5).Test;

        Services.GetRequiredService<NavigationManager>().NavigateTo("datasets/synthetic?seed=5");
        var cut = Render<DatasetImages>(p => p.Add(c => c.Name, "synthetic"));

        var tiles = cut.WaitForElements(".dataset-samples .image-tile");
        Assert.Equal(Math.Min(DatasetSampleGrid.PageSize, expected.Count), tiles.Count);
        Assert.Equal(expected.ClassNames[(int)expected.Labels[3]], tiles[3].QuerySelector(".true-class")!.TextContent);
        Assert.Equal("/api/datasets/synthetic/images/test/3.png?seed=5", tiles[3].QuerySelector("img")!.GetAttribute("src"));
        Assert.Equal("datasets/synthetic?split=test&start=32&seed=5", cut.Find(".dataset-samples + p a").GetAttribute("href"));
    }

    [Theory]
    [InlineData("imagenet", "No data set 'imagenet'; the data sets are cifar10, fashion_mnist, synthetic.")]
    [InlineData("cifar10", "CIFAR-10 is not in the data folder (Data:Root) yet")]
    [InlineData("fashion_mnist", "Fashion-MNIST is not in the data folder (Data:Root) yet")]
    public void ADataSetItCannotShowSaysWhy(string name, string message)
    {
        var cut = Render<DatasetImages>(p => p.Add(c => c.Name, name));

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find(".notice").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".image-tile"));
    }
}
