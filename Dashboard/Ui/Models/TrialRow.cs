using System.Globalization;
using Experiments.Core.Records;

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
    /// <summary>Short name used in hovers and legends: index and the given parameters.</summary>
    public string Label(IReadOnlyList<string> keys) =>
        keys.Count == 0 ? $"#{Index}" : $"#{Index} " + string.Join(" ", keys.Select(k => $"{k}={Parameter(k)}"));

    public string Parameter(string key) => Parameters.TryGetValue(key, out var value) ? value : "";

    /// <summary>The parameter as a number when it reads as one, for sorting and plotting.</summary>
    public double? NumericParameter(string key) =>
        double.TryParse(Parameter(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    public double Progress => Epochs == 0 ? 0 : Math.Clamp((double)EpochsDone / Epochs, 0, 1);
}
