using System.Text.Json.Serialization;

namespace Experiments.Core.EarlyTermination;

/// <summary>The rule a sweep's <c>early_termination.type</c> names (its spelling in files, records and the API).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EarlyTerminationType>))]
public enum EarlyTerminationType
{
    /// <summary>Asynchronous successive halving (Li et al. 2020): one bracket of rungs.</summary>
    [JsonStringEnumMemberName("asha")]
    Asha,

    /// <summary>Hyperband as brackets of ASHA, each trial in one bracket by its index.</summary>
    [JsonStringEnumMemberName("hyperband")]
    Hyperband,

    /// <summary>Median stopping as Optuna's MedianPruner: best so far against the median of completed trials.</summary>
    [JsonStringEnumMemberName("median")]
    Median,
}

/// <summary>The spellings of <see cref="EarlyTerminationType"/> in a sweep file, in enum order.</summary>
public static class EarlyTerminationTypes
{
    private static readonly string[] Spellings = ["asha", "hyperband", "median"];

    public static IReadOnlyList<string> Names => Spellings;

    public static bool TryParse(string text, out EarlyTerminationType type)
    {
        var index = Array.IndexOf(Spellings, text);
        type = index >= 0 ? (EarlyTerminationType)index : default;
        return index >= 0;
    }
}
