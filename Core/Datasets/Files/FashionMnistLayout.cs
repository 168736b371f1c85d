using Experiments.Core.Specs;

namespace Experiments.Core.Datasets.Files;

/// <summary>The Fashion-MNIST release: its four gzip IDX files and their published MD5s (image facts from the catalog).</summary>
internal static class FashionMnistLayout
{
    public static readonly Uri BaseUrl = new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
    public const string FolderName = "fashion-mnist";

    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";
    public static readonly string[] Stems = [TrainImages, TrainLabels, TestImages, TestLabels];
    public const string CompressedSuffix = ".gz";

    /// <summary>MD5 of each published <c>.gz</c> file, by its name (Debian's recompressed files differ, so local files are checked by format instead).</summary>
    public static readonly IReadOnlyDictionary<string, string> PublishedMd5 = new Dictionary<string, string>
    {
        [TrainImages + CompressedSuffix] = "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        [TrainLabels + CompressedSuffix] = "25c81989df183df01b3e8a0aad5dffbe",
        [TestImages + CompressedSuffix] = "bef4ecab320f06d8554ea6380940ec79",
        [TestLabels + CompressedSuffix] = "bb300cfdad3c16e7a12a480ee83cd310",
    };

    public static ImageShape Shape { get; } = DatasetCatalog.Of(Dataset.FashionMnist).Shape;

    public static IReadOnlyList<string> ClassNames { get; } = DatasetCatalog.Of(Dataset.FashionMnist).ClassNames;
}
