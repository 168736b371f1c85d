using Experiments.Core.Datasets;
using Experiments.Core.Records;
using Experiments.Worker.Tests.Training;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Evaluation;

namespace Experiments.Worker.Tests.Evaluation;

/// <summary>The test evaluation keeps the misclassified images with the highest loss, by their index in the test part.</summary>
public sealed class MostWrongImagesTests : IDisposable
{
    private readonly TrainerFixture fixture = new();

    [Fact]
    public async Task TheEvaluationRecordsTheMostWrongTestImagesWithTheirTrueLabels()
    {
        var config = TrainerFixture.Tiny(epochs: 1) with { SyntheticSize = 240, BatchSize = 16 };

        var outcome = await fixture.NewTrainer().TrainAsync(new TrialRun("most-wrong", 1, config, "cpu"), new RecordingObserver(), CancellationToken.None);

        var report = outcome.Evaluations.Single();
        var wrongInMatrix = report.ConfusionMatrix.SelectMany((row, r) => row.Where((_, c) => c != r)).Sum();
        Assert.True(wrongInMatrix > 0, "one epoch on noisy synthetic data should leave mistakes to show");
        var mostWrong = report.MostWrong!;
        Assert.Equal(Math.Min(ClassificationReport.MostWrongKept, wrongInMatrix), mostWrong.Count);

        // The same bytes the trainer generated: each index names a test image of that true class.
        var test = SyntheticDataset.Create(DatasetCatalog.Split(config), config.Seed).Test;
        var names = DatasetCatalog.Of(config.Dataset).ClassNames;
        Assert.All(mostWrong, w =>
        {
            Assert.InRange(w.Index, 0, test.Count - 1);
            Assert.Equal(test.Labels[w.Index], w.Label);
            Assert.NotEqual(w.Label, w.Predicted);
            Assert.Equal((names[w.Label], names[w.Predicted]), (w.TrueClass, w.PredictedClass));
            Assert.InRange(w.Confidence, 0.0, 1.0);
            // A wrong prediction's loss is -log p(true) >= -log(1 - p(predicted)).
            Assert.True(w.Loss >= -Math.Log(1 - w.Confidence) - 1e-9, $"loss {w.Loss} below -log(1 - {w.Confidence})");
        });
        Assert.Equal(mostWrong.Count, mostWrong.Select(w => w.Index).Distinct().Count());
        Assert.Equal(mostWrong.OrderByDescending(w => w.Loss).Select(w => w.Index), mostWrong.Select(w => w.Index));
    }

    [Fact]
    public void AReportKeepsTheMistakesInTheOrderGivenWithClassNames()
    {
        var report = ClassificationReport.Create("best", 2, 0.7, new long[,] { { 1, 1 }, { 0, 2 } }, ["cat", "dog"],
            [new MisclassifiedImage(7, 0, 1, 0.9, 2.5)]);

        Assert.Equal([new WrongPrediction(7, 0, "cat", 1, "dog", 0.9, 2.5)], report.MostWrong!);
    }

    public void Dispose() => fixture.Dispose();
}
