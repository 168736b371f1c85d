using Experiments.Core.Datasets;
using Experiments.Core.Datasets.Files;

namespace Experiments.Worker.Tests.Data;

public sealed class DataOptionsValidationTests
{
    [Fact]
    public void DefaultsAreValid() =>
        Assert.True(new DataOptionsValidation().Validate(null, new DataOptions()).Succeeded);

    [Fact]
    public void UnusableSettingsAreEachNamed()
    {
        var options = new DataOptions
        {
            Root = " ",
            Cifar10Url = new Uri("file:///tmp/cifar.tar.gz"),
            FashionMnistBaseUrl = new Uri("relative/", UriKind.Relative),
            FashionMnistSystemFolders = [""],
            DownloadStallTimeout = TimeSpan.Zero,
        };

        var result = new DataOptionsValidation().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            ["Data:Root", "Data:Cifar10Url", "Data:FashionMnistBaseUrl", "Data:FashionMnistSystemFolders", "Data:DownloadStallTimeout"],
            result.Failures!.Select(failure => failure.Split(' ')[0]));
    }
}
