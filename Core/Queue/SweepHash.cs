using Experiments.Core.EarlyTermination;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>The fields of a sweep's hash (including the per-status counts <c>n:&lt;Status&gt;</c>) as records.</summary>
internal static class SweepHash
{
    public const string CountPrefix = "n:";

    /// <summary>The early-termination spec as JSON; absent when the sweep has none.</summary>
    public const string EarlyTerminationField = "early_termination";

    /// <summary>Set when the sweep is deleted: from then on it is gone for every reader, whatever keys remain.</summary>
    public const string DeletedField = "deleted";

    /// <summary>The metric's target (<c>metric.target</c>) as stored text; absent when the sweep has none.</summary>
    public const string TargetField = "metric_target";

    /// <summary>The stored text of a metric's target: round-trip digits, '' for none.</summary>
    public static string Target(SweepMetric metric) =>
        metric.Target is { } target ? target.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "";

    /// <summary>tpe: the whole trial budget (<c>trial_count</c> counts the trials created so far).</summary>
    public const string BudgetField = "budget";

    private static readonly RedisValue[] SearchFields = [BudgetField, "startup_trials", "max_concurrent", "sample_seed"];

    /// <summary>Every field but the source (up to a megabyte): what lists and live views read.</summary>
    public static readonly RedisValue[] SummaryFields =
    [
        "name", "method", "metric_name", "metric_goal", TargetField, EarlyTerminationField, "created", "traceparent", "trial_count", DeletedField, .. SearchFields,
        .. Enum.GetValues<TrialStatus>().Select(s => (RedisValue)(CountPrefix + s)),
    ];

    /// <summary>The fields a tpe sweep's hash adds at submit.</summary>
    public static RedisValue[] BudgetFields(SearchBudget search) =>
    [
        BudgetField, search.TrialCount, "startup_trials", search.StartupTrials, "max_concurrent", search.MaxConcurrent, "sample_seed", search.SampleSeed,
    ];

    /// <summary>A summary from the values of <see cref="SummaryFields"/>, in that order (HMGET).</summary>
    public static SweepSummary? ToSummary(string sweepId, RedisValue[] values) =>
        ToSummary(sweepId, [.. SummaryFields.Zip(values).Where(p => !p.Second.IsNull).Select(p => new HashEntry(p.First, p.Second))]);

    /// <summary>The values of the sweep's progress hash (trial id to <see cref="TrialProgress"/> JSON, the id inside too).</summary>
    public static IReadOnlyList<TrialProgress> ToProgress(RedisValue[] values) =>
        [.. values.Select(v => RecordJson.Deserialize<TrialProgress>((string)v!))];

    public static SweepSummary? ToSummary(string sweepId, HashEntry[] entries)
    {
        var fields = entries.ToDictionary(e => (string)e.Name!, e => e.Value, StringComparer.Ordinal);
        if (fields.Count == 0 || fields.ContainsKey(DeletedField))
        {
            return null;
        }

        string Text(string name) => fields.TryGetValue(name, out var value) && !value.IsNull ? (string)value! : "";

        var trialCount = fields.TryGetValue("trial_count", out var count) ? (int)count : 0;
        var record = new SweepRecord(
            Id: sweepId,
            Name: Text("name"),
            Method: Text("method"),
            Metric: new SweepMetric(Text("metric_name"), Text("metric_goal"))
            {
                Target = double.TryParse(Text(TargetField), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var target) ? target : null,
            },
            SourceText: Text("source"),
            CreatedAt: StoreTime.FromStored(fields.GetValueOrDefault("created")) ?? DateTimeOffset.UnixEpoch,
            TraceParent: Text("traceparent") is { Length: > 0 } traceParent ? traceParent : null,
            TrialIds: [.. Enumerable.Range(0, trialCount).Select(i => StoreIds.TrialId(sweepId, i))])
        {
            Search = fields.TryGetValue(BudgetField, out var budget) && !budget.IsNull
                ? new SearchBudget((int)budget, (int)fields["startup_trials"], (int)fields["max_concurrent"], (ulong)fields["sample_seed"])
                : null,
            EarlyTermination = Text(EarlyTerminationField) is { Length: > 0 } rule ? RecordJson.Deserialize<EarlyTerminationSpec>(rule) : null,
        };

        var counts = Enum.GetValues<TrialStatus>().ToDictionary(
            status => status,
            status => fields.TryGetValue(CountPrefix + status, out var n) ? (int)n : 0);
        return new SweepSummary(record, counts);
    }
}
