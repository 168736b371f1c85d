using System.Globalization;
using Experiments.Core.Records;

namespace Experiments.Worker.Training;

/// <summary>The notebook's one-line epoch summary.</summary>
public static class EpochSummary
{
    public static string Format(EpochMetrics m, int epochs) => string.Create(CultureInfo.InvariantCulture,
        $"Epoch {m.Epoch}/{epochs} - loss {m.TrainLoss:F4} - acc {m.TrainAccuracy:F4} - val_loss {m.ValLoss:F4} - val_acc {m.ValAccuracy:F4} - lr {m.LearningRate:G4} - {m.ImagesPerSecond:F0} img/s");
}
