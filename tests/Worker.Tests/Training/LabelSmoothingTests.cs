using System.Text.Json;
using Experiments.Worker.Tests.Peers;
using Experiments.Worker.Training;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Training;

/// <summary><c>label_smoothing</c> changes the training loss exactly as PyTorch's does (Debian's python3-torch).</summary>
public sealed class LabelSmoothingTests
{
    private static readonly double[] Smoothing = [0, 0.1, 0.25, 0.9];

    [SkippableFact]
    public void LabelSmoothingChangesTheLossExactlyAsPyTorch()
    {
        TorchPeer.SkipUnlessAvailable();
        // Fixed, varied logits for 12 images and 10 classes (no RNG: both sides read the same numbers).
        float[][] logits = [.. Enumerable.Range(0, 12).Select(i => Enumerable.Range(0, 10).Select(c => (float)(3 * Math.Sin(i * 10 + c * 1.7) + (c == i % 10 ? 2 : 0))).ToArray())];
        long[] labels = [.. Enumerable.Range(0, 12).Select(i => (long)(i * 7 % 10))];
        string input = Path.Combine(Path.GetTempPath(), $"loss-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(input, JsonSerializer.Serialize(new { logits, labels, smoothing = Smoothing }));
            var expected = JsonSerializer.Deserialize<double[]>(TorchPeer.Run("torch_loss.py", input))!;

            using var scope = NewDisposeScope();
            var logitTensor = tensor(logits.SelectMany(r => r).ToArray(), [12, 10]);
            var labelTensor = tensor(labels);
            double[] ours = [.. Smoothing.Select(s => (double)TrainingSession.TrainingLoss(logitTensor, labelTensor, s).item<float>())];

            for (int i = 0; i < Smoothing.Length; i++)
                Assert.True(Math.Abs(ours[i] - expected[i]) < 1e-6, $"smoothing {Smoothing[i]}: ours {ours[i]}, PyTorch {expected[i]}");
            // Smoothing must actually change the loss (a setting that is read but ignored would pass the equality at 0).
            Assert.True(Math.Abs(ours[1] - ours[0]) > 1e-3, $"smoothing 0.1 left the loss at {ours[1]}");
        }
        finally
        {
            File.Delete(input);
        }
    }
}
