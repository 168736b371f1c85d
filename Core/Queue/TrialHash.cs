using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>The fields of a trial's hash and how they become a <see cref="TrialRecord"/>.</summary>
internal static class TrialHash
{
    public static TrialRecord? ToRecord(string trialId, HashEntry[] entries, RedisValue[] attempts)
    {
        if (entries.Length == 0)
        {
            return null;
        }

        var fields = entries.ToDictionary(e => (string)e.Name!, e => e.Value, StringComparer.Ordinal);
        RedisValue Field(string name) => fields.TryGetValue(name, out var value) ? value : RedisValue.Null;
        string? Text(string name) => Field(name) is { IsNullOrEmpty: false } value ? (string?)value : null;
        int Number(string name) => Field(name) is { IsNullOrEmpty: false } value ? (int)value : 0;

        var status = Enum.Parse<TrialStatus>(Text("status") ?? nameof(TrialStatus.Queued));
        var waiting = status == TrialStatus.Queued ? Text("waiting") : null;
        var attempt = Number("attempt");
        return new TrialRecord(
            Id: trialId,
            SweepId: Text("sweep") ?? "",
            Index: Number("index"),
            Config: RecordJson.Deserialize<TrainingConfig>(Text("config") ?? "{}"),
            Parameters: RecordJson.Deserialize<Dictionary<string, string>>(Text("params") ?? "{}"),
            Status: status,
            Attempt: attempt,
            MaxAttempts: Number("max_attempts"),
            Owner: Text("owner"),
            CancelRequested: Text("cancel") == "1",
            LastEpoch: Number("last_epoch"),
            TraceParent: Text("traceparent"),
            CreatedAt: StoreTime.FromStored(Field("created")) ?? DateTimeOffset.UnixEpoch,
            StartedAt: StoreTime.FromStored(Field("started")),
            EndedAt: StoreTime.FromStored(Field("ended")),
            Reason: Text("reason"),
            Attempts: [.. attempts.Select(a => AttemptJson.Parse((string)a!))],
            Evaluations: Text("evaluations") is { } evaluations ? RecordJson.Deserialize<List<EvaluationReport>>(evaluations) : [])
        {
            Failures = Number("failures"),
            Interruptions = Number("interruptions"),
            Checkpoints = TrialCheckpoints.Committed(Text("checkpoint_last"), Text("checkpoint_best")),
            // A note left while queued means nothing once the trial has moved on (cancelled before it started).
            Waiting = waiting,
            WaitingSince = waiting is null ? null : StoreTime.FromStored(Field("waiting_since")),
            Target = Text("target_epoch") is not null && double.TryParse(Text("target_seconds"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                ? new TargetReached(Number("target_epoch"), seconds)
                : null,
            // Only the running attempt's own report: one a crash left behind (a settle cut short) means nothing.
            Progress = status == TrialStatus.Running && Text("progress") is { } progress
                ? RecordJson.Deserialize<TrialProgress>(progress) is { } p && p.Attempt == attempt ? p : null
                : null,
        };
    }
}
