using System.Globalization;
using Experiments.Core.Records;
using Experiments.Dashboard.Ui.Charts;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>One line of a sweep's trial table.</summary>
public sealed record TrialRow(
    string Id,
    int Index,
    IReadOnlyDictionary<string, string> Parameters,
    int Seed,
    TrialStatus Status,
    int Attempt,
    int EpochsDone,
    int Epochs,
    TimeSpan? Eta,
    double? BestValAccuracy,
    double? LastValAccuracy,
    double? TestAccuracy,
    double? ImagesPerSecond,
    TimeSpan WallTime,
    double? Score,
    string? Reason)
{
    /// <summary>How this row's parameters are shown: its sweep's <see cref="ParameterFormat"/>, set by <see cref="SweepTable"/>.</summary>
    public ParameterFormat Format { get; init; } = ParameterFormat.Alone;

    /// <summary>When the trial first reached its sweep's <c>metric.target</c>; null until then or without a target.</summary>
    public TargetReached? Target { get; init; }

    /// <summary>Short name used in cards, hovers and legends: index and the given parameters as shown.</summary>
    public string Label(IReadOnlyList<string> keys) =>
        keys.Count == 0 ? $"#{Index}" : $"#{Index} " + string.Join(" ", keys.Select(k => $"{k}={Shown(k)}"));

    /// <summary>The stored value, in full precision (exports, sorting, filtering by exact value).</summary>
    public string Parameter(string key) => Parameters.TryGetValue(key, out var value) ? value : "";

    /// <summary>The value as every page shows it (<see cref="ParameterFormat"/>).</summary>
    public string Shown(string key) => Format.Format(key, Parameter(key));

    /// <summary>The parameter as a number when it reads as one, for sorting and plotting.</summary>
    public double? NumericParameter(string key) =>
        double.TryParse(Parameter(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The running attempt's in-epoch progress, as its worker last reported it; null when not running.</summary>
    public TrialProgress? Batches { get; init; }

    /// <summary>Share of the trial's epochs done, counting the running epoch's batches when reported.</summary>
    public double Progress => Batches is { Batches: > 0 } running
        ? running.Fraction
        : Epochs == 0 ? 0 : Math.Clamp((double)EpochsDone / Epochs, 0, 1);
}
