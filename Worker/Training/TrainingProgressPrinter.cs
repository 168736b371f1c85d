using System.Globalization;
using Experiments.Core.Records;

namespace Experiments.Worker.Training;

/// <summary>
/// What <c>train</c> shows while an epoch runs: batches done of the epoch's, the running loss, images per second and
/// the time left. On a terminal one line is redrawn in place (with a bar) a few times a second; when output is
/// redirected, a plain line every <see cref="PlainInterval"/>, so a log stays readable. Batches arrive on the training
/// thread and other lines from the trainer's: both go through one lock, and a batch costs no write between redraws.
/// </summary>
internal sealed class TrainingProgressPrinter(TextWriter output, bool terminal, int epochs, TimeProvider time)
{
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);
    private const int BarWidth = 20;

    private readonly Lock _gate = new();
    private long? _lastShown;
    private int _openWidth;

    /// <summary>After a training batch: shows it if the last line is old enough (always the epoch's first and last on a terminal).</summary>
    public void BatchCompleted(BatchProgress batch)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            var first = batch.Batch == 1;
            var last = batch.Batch >= batch.BatchesPerEpoch;
            var due = _lastShown is not { } shown || time.GetElapsedTime(shown, now) >= (terminal ? RedrawInterval : PlainInterval);
            if (terminal && (due || first || last))
            {
                var line = Describe(batch, withBar: true);
                // Padded over what was there: a shorter line must not leave the old one's tail.
                output.Write("\r" + line.PadRight(_openWidth));
                output.Flush();
                _openWidth = line.Length;
                _lastShown = now;
            }
            else if (!terminal && (due || first) && !last)
            {
                // The epoch's summary line follows the last batch: no plain line for it.
                output.WriteLine(Describe(batch, withBar: false));
                _lastShown = now;
            }
        }
    }

    /// <summary>Any other line (an epoch's summary, the test report): replaces the progress line on a terminal.</summary>
    public void WriteLine(string message)
    {
        lock (_gate)
        {
            if (_openWidth > 0)
            {
                output.Write("\r" + new string(' ', _openWidth) + "\r");
                _openWidth = 0;
            }

            output.WriteLine(message);
        }
    }

    /// <summary>e.g. <c>epoch 2/10 [#####---------------] 120/351 - loss 1.2345 - 412 img/s - ETA 0:34 (trial 5:40)</c>.</summary>
    public string Describe(BatchProgress batch, bool withBar)
    {
        var progress = new TrialProgress(1, batch.Epoch, epochs, batch.Batch, batch.BatchesPerEpoch, batch.Loss, batch.ImagesPerSecond, batch.Seconds);
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"epoch {batch.Epoch}/{epochs} ");
        if (withBar)
        {
            var filled = batch.BatchesPerEpoch <= 0 ? 0 : (int)Math.Clamp(BarWidth * batch.Batch / batch.BatchesPerEpoch, 0, BarWidth);
            text.Append('[').Append('#', filled).Append('-', BarWidth - filled).Append("] ");
        }
        else
        {
            text.Append("batch ");
        }

        text.Append(CultureInfo.InvariantCulture, $"{batch.Batch}/{batch.BatchesPerEpoch} - loss {batch.Loss:F4} - {batch.ImagesPerSecond:F0} img/s");
        if (progress.EpochRemaining is { } epochLeft)
        {
            text.Append(" - ETA ").Append(Clock(epochLeft));
            if (batch.Epoch < epochs && progress.Remaining() is { } trialLeft)
            {
                text.Append(" (trial ").Append(Clock(trialLeft)).Append(')');
            }
        }

        return text.ToString();
    }

    /// <summary>m:ss, or h:mm:ss from an hour.</summary>
    public static string Clock(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
}
