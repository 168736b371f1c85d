using Experiments.Core.Checkpoints;
using Experiments.Core.Datasets;
using Experiments.Core.Specs;
using Experiments.Worker.Tests.Training;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Data;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Augmentation;

/// <summary>The picture of a trial's first augmented batch: training's own augmentation of training images, drawn without disturbing training.</summary>
public sealed class AugmentedBatchPreviewTests : IDisposable
{
    private readonly TrainerFixture fixture = new();

    [Fact]
    public void TheFirstAugmentedBatchIsCropsAndFlipsOfTrainingImagesAndLeavesTrainingAsItWas()
    {
        var config = TrainerFixture.Tiny(epochs: 1) with { Augmentation = Core.Specs.Augmentation.CropFlip, SyntheticSize = 32, BatchSize = 8 };
        var raw = SyntheticDataset.Create(DatasetCatalog.Split(config), config.Seed);
        using var data = DataSplits.Create(raw, DatasetCatalog.Split(config).Validation, config.Seed, CPU);
        using var previewed = TrainingSession.Create(config, data, CPU);
        using var plain = TrainingSession.Create(config, data, CPU);

        var batch = previewed.FirstAugmentedBatch(8);

        var train = data.Train.Images.contiguous().data<byte>().ToArray();
        const int size = 32, bytes = 3 * size * size;
        Assert.Equal(8 * bytes, batch.Length);
        int changed = 0;
        for (int tile = 0; tile < 8; tile++)
        {
            var image = batch.AsSpan(tile * bytes, bytes);
            int source = -1;
            for (int j = 0; j < data.Train.Count && source < 0; j++)
                source = IsCropOrFlipOf(image, train.AsSpan(j * bytes, bytes), size) ? j : -1;
            Assert.True(source >= 0, $"tile {tile} is no 4-pixel crop or flip of any training image");
            changed += image.SequenceEqual(train.AsSpan(source * bytes, bytes)) ? 0 : 1;
        }
        Assert.True(changed > 0, "crop_flip changed none of the 8 images");

        // The preview draws from generators of its own: the epoch trains exactly as without it.
        var withPreview = previewed.TrainEpoch(1, null, CancellationToken.None);
        var without = plain.TrainEpoch(1, null, CancellationToken.None);
        Assert.Equal(without.Loss, withPreview.Loss);
    }

    [Fact]
    public async Task ATrialWritesItsFirstAugmentedBatchBesideItsCheckpointsAsAPng()
    {
        var config = TrainerFixture.Tiny(epochs: 1) with { Augmentation = Core.Specs.Augmentation.Flip };

        await fixture.NewTrainer().TrainAsync(new TrialRun("preview", 1, config, "cpu"), new RecordingObserver(), CancellationToken.None);

        Assert.True(fixture.Store.ImageExists("preview", AugmentedBatch.ImageName));
        using var png = fixture.Store.OpenImage("preview", AugmentedBatch.ImageName);
        var signature = new byte[8];
        png.ReadExactly(signature);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, signature);
        Assert.DoesNotContain(AugmentedBatch.ImageName, fixture.Store.List("preview").Select(c => c.Name));
    }

    // Zero-pad by 4, take a 32x32 window at (dy, dx), maybe mirror it: as BatchAugmentation does per image.
    private static bool IsCropOrFlipOf(ReadOnlySpan<byte> image, ReadOnlySpan<byte> source, int size)
    {
        for (int dy = -4; dy <= 4; dy++)
            for (int dx = -4; dx <= 4; dx++)
                foreach (var flip in new[] { false, true })
                {
                    bool same = true;
                    for (int c = 0; c < 3 && same; c++)
                        for (int y = 0; y < size && same; y++)
                            for (int x = 0; x < size && same; x++)
                            {
                                int sy = y + dy, sx = (flip ? size - 1 - x : x) + dx;
                                byte expected = sy is >= 0 and < 32 && sx is >= 0 and < 32 ? source[(c * size * size) + (sy * size) + sx] : (byte)0;
                                same = image[(c * size * size) + (y * size) + x] == expected;
                            }
                    if (same)
                        return true;
                }
        return false;
    }

    public void Dispose() => fixture.Dispose();
}
