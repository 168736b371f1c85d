using Experiments.Worker.Training;
using Microsoft.Extensions.Time.Testing;

namespace Experiments.Worker.Tests.Training;

/// <summary>What <c>train</c> prints inside an epoch: a bar redrawn on a terminal, a plain line now and then in a log.</summary>
public sealed class TrainingProgressPrinterTests
{
    private readonly FakeTimeProvider time = new();
    private readonly StringWriter output = new();

    // Batch n of 100 after n x 0.5 s, 8 images each: 16 img/s.
    private static BatchProgress Batch(long n, int epoch = 1) => new(epoch, n, 100, 2.0 / n, n * 8, n * 0.5);

    [Fact]
    public void DescribesBatchesLossPaceAndTimeLeftInTheEpochAndTrial()
    {
        var printer = new TrainingProgressPrinter(output, terminal: true, epochs: 3, time);

        Assert.Equal("epoch 1/3 [#####---------------] 25/100 - loss 0.0800 - 16 img/s - ETA 0:37 (trial 2:17)", printer.Describe(Batch(25), withBar: true));
        Assert.Equal("epoch 3/3 batch 25/100 - loss 0.0800 - 16 img/s - ETA 0:37", printer.Describe(Batch(25, epoch: 3), withBar: false));
        Assert.Equal("1:02:03", TrainingProgressPrinter.Clock(new TimeSpan(1, 2, 3)));
    }

    [Fact]
    public void WhenRedirectedPrintsAPlainLineAtTheStartAndThenOnlyEveryFewSeconds()
    {
        var printer = new TrainingProgressPrinter(output, terminal: false, epochs: 2, time);

        for (var n = 1; n <= 100; n++)
        {
            printer.BatchCompleted(Batch(n));
            time.Advance(TimeSpan.FromSeconds(0.5));
        }
        printer.WriteLine("Epoch 1/2 - loss 0.0200");

        // Batch 1, then every 10 s (20 batches); never a bar or a carriage return, and no line for the last batch:
        // the epoch's summary follows it.
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["epoch 1/2 batch 1/100", "epoch 1/2 batch 21/100", "epoch 1/2 batch 41/100", "epoch 1/2 batch 61/100", "epoch 1/2 batch 81/100", "Epoch 1/2"],
            lines.Select(l => l.Split(" - ")[0]));
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void OnATerminalRedrawsOneLineInPlaceAndClearsItBeforeOtherLines()
    {
        var printer = new TrainingProgressPrinter(output, terminal: true, epochs: 1, time);

        printer.BatchCompleted(Batch(1));
        printer.BatchCompleted(Batch(2)); // too soon: not drawn
        time.Advance(TrainingProgressPrinter.RedrawInterval);
        printer.BatchCompleted(Batch(3));
        printer.BatchCompleted(Batch(100)); // the last batch is always drawn
        printer.WriteLine("Epoch 1/1 - loss 0.0200");

        var text = output.ToString();
        Assert.Equal(5, text.Count(c => c == '\r')); // three redraws, then the clearing (\r spaces \r)
        Assert.DoesNotContain(" 2/100 ", text);
        Assert.Contains("\r" + "epoch 1/1 [####################] 100/100", text);
        Assert.EndsWith("\r" + "Epoch 1/1 - loss 0.0200" + Environment.NewLine, text);
    }
}
