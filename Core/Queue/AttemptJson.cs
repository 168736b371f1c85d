using Experiments.Core.Records;

namespace Experiments.Core.Queue;

/// <summary>
/// The two halves of an attempt record. Lua cannot parse JSON portably, so the claim script writes the start
/// (prefixing the attempt number it assigns) and the end is spliced in by replacing the closing brace.
/// </summary>
internal static class AttemptJson
{
    /// <summary>Outcome recorded for an attempt whose worker stopped renewing its lease.</summary>
    public const string LeaseExpiredOutcome = "LeaseExpired";

    public const string LeaseExpiredReason = "lease expired (worker lost)";

    private sealed record Start(string Worker, DateTimeOffset StartedAt);

    private sealed record End(DateTimeOffset EndedAt, string Outcome, string? Reason);

    /// <summary>A JSON object without the attempt number, e.g. <c>{"worker":"w1","started_at":"…"}</c>.</summary>
    public static string StartOf(string worker, DateTimeOffset startedAt) => RecordJson.Serialize(new Start(worker, startedAt));

    /// <summary>The end fields as a suffix that closes the start object: <c>,"ended_at":…}</c>.</summary>
    public static string EndSuffix(DateTimeOffset endedAt, string outcome, string? reason) =>
        string.Concat(",", RecordJson.Serialize(new End(endedAt, outcome, reason)).AsSpan(1));

    public static AttemptRecord Parse(string json) => RecordJson.Deserialize<AttemptRecord>(json);
}
