using Experiments.Core.Queue.Scripts;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using StackExchange.Redis;

namespace Experiments.Core.Queue;

public sealed partial class SweepStore
{
    /// <summary>Plans again when another add changed the sweep between its read and its write (a few times at most).</summary>
    private const int GrowTries = 5;

    /// <summary>
    /// Adds trials to a stored sweep, atomically: <paramref name="plan"/> is given the sweep (without its source) and
    /// every trial it has, and returns the trials to add (their configurations the sweep does not have yet); the store
    /// queues them as the sweep's next indices only if no other trial was added since the read, and otherwise reads
    /// and plans again. A finished sweep runs again. Returns null when there is no such sweep.
    /// </summary>
    /// <exception cref="SweepClosedException">The sweep was deleted or cancelled, or its method proposes its own trials.</exception>
    /// <exception cref="SweepSpecException">What <paramref name="plan"/> refused.</exception>
    public async Task<GrownSweep?> AddTrialsAsync(
        string sweepId, Func<SweepRecord, IReadOnlyList<TrialRecord>, GrowthPlan> plan, string? traceParent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!StoreIds.IsSweepId(sweepId))
        {
            return null;
        }

        for (var attempt = 1; ; attempt++)
        {
            // The summary: everything but the source, which a plan does not compare (an edited file replaces it).
            var sweep = (await GetSweepSummaryAsync(sweepId, cancellationToken).ConfigureAwait(false))?.Sweep;
            if (sweep is null)
            {
                return (await FindDeletedAsync([sweepId], cancellationToken).ConfigureAwait(false)).Count > 0
                    ? throw new SweepClosedException($"Sweep '{sweepId}' was deleted; it takes no more trials.")
                    : null;
            }

            if (!GrowthPlanner.Methods.Contains(sweep.Method))
            {
                throw Closed(sweepId, "unsupported", sweep.Method);
            }

            var trials = await ReadTrialsAsync(sweep.TrialIds, cancellationToken).ConfigureAwait(false);
            var growth = plan(sweep, trials);
            if (growth.Added.Count == 0)
            {
                return new GrownSweep(sweepId, [], growth.AlreadyInSweep, sweep.TrialIds.Count);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var first = sweep.TrialIds.Count;
            var trialIds = Enumerable.Range(first, growth.Added.Count).Select(i => StoreIds.TrialId(sweepId, i)).ToArray();
            var now = time.GetUtcNow();
            RedisKey[] scriptKeys = [keys.Queue, keys.Deleting, keys.Deleted, keys.Sweep(sweepId), .. trialIds.Select(keys.Trial)];
            var arguments = new List<RedisValue>(8 + (3 * trialIds.Length))
            {
                sweepId, StoreTime.ToStored(now), QueueScore.Fresh(now), options.MaxAttempts, first,
                growth.SourceText ?? "", traceParent ?? "", trialIds.Length,
            };
            for (var i = 0; i < trialIds.Length; i++)
            {
                arguments.Add(trialIds[i]);
                arguments.Add(RecordJson.Serialize(growth.Added[i].Config));
                arguments.Add(RecordJson.Serialize(growth.Added[i].Parameters));
            }

            var result = (string?)await StoreScripts.AddTrials.EvaluateAsync(Database, scriptKeys, [.. arguments]).ConfigureAwait(false);
            switch (result)
            {
                case "ok":
                    // Wakes idle workers, and tells every Dashboard that this (maybe finished) sweep is active again.
                    await Database.PublishAsync(keys.Work, sweepId).ConfigureAwait(false);
                    return new GrownSweep(sweepId, trialIds, growth.AlreadyInSweep, first + trialIds.Length);
                case "moved" when attempt < GrowTries:
                    continue;
                case "moved":
                    throw new InvalidOperationException($"Sweep '{sweepId}' kept growing while trials were added to it; try again.");
                default:
                    throw Closed(sweepId, result, sweep.Method);
            }
        }
    }

    private static SweepClosedException Closed(string sweepId, string? reason, string method) => new(reason switch
    {
        "deleted" => $"Sweep '{sweepId}' was deleted; it takes no more trials.",
        "cancelled" => $"Sweep '{sweepId}' was cancelled; it takes no more trials (clone it on the Submit page to run it again with more).",
        _ => $"Sweep '{sweepId}' uses method {method}, whose trials are proposed as results come in; only {string.Join(", ", GrowthPlanner.Methods)} sweeps take added trials.",
    });
}
