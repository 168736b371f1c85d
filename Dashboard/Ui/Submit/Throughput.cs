namespace Experiments.Dashboard.Ui.Submit;

/// <summary>Seconds of training per training image, measured from recorded epochs or assumed.</summary>
/// <param name="Measured">False when no epoch has been recorded yet and the figure is the platform default.</param>
public sealed record Throughput(double SecondsPerImage, bool Measured)
{
    /// <summary>ResNet-34 trains ~235 images/s on 2 CPU cores (measured); validation adds roughly a tenth.</summary>
    public static Throughput Assumed { get; } = new(1.1 / 235, Measured: false);
}

/// <summary>An estimated duration and how it was obtained.</summary>
public sealed record DurationEstimate(TimeSpan Total, TimeSpan PerTrialMean, Throughput Throughput);
