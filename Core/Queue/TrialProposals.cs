using Experiments.Core.Queue.Scripts;
using Experiments.Core.Records;
using Experiments.Core.Search;
using Experiments.Core.Specs;
using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>What one attempt to create a tpe sweep's next trial did.</summary>
internal enum ProposalOutcome
{
    Created,

    /// <summary>Another worker created that trial first.</summary>
    Stale,

    /// <summary>A trial finished after the history was read: the proposal would not use it.</summary>
    Changed,

    /// <summary>max_concurrent trials are queued or running.</summary>
    Busy,

    /// <summary>Every trial of the budget exists.</summary>
    Budget,

    Cancelled,

    /// <summary>No such sweep (or its submit never completed).</summary>
    Missing,
}

/// <summary>A proposal computed from one read of the sweep, not yet stored: what a claimer holds between sampling and storing.</summary>
internal sealed record PreparedProposal(
    string SweepId, int Number, PlannedTrial Trial, ProposalSource Source, string? TraceParent, IReadOnlyList<(TrialStatus Status, int Count)> Finished);

/// <summary>
/// Lazy trial creation for <c>method: tpe</c>: when a worker can take a trial and the queue is empty, it reads a
/// growing sweep (its trials, statuses and per-epoch results), computes <see cref="TpeSampler.Propose"/> for the next
/// trial number k locally, and stores it with <see cref="StoreScripts.CreateProposed"/>, which refuses unless the
/// sweep still has k trials and the same finished ones. No coordinator: any worker may create, exactly one wins
/// per k, and a worker that dies between sampling and storing has written nothing.
/// </summary>
internal sealed class TrialProposals(IConnectionMultiplexer redis, StoreOptions options, TimeProvider time)
{
    /// <summary>Growing sweeps looked at per call, oldest first.</summary>
    private const int SweepsPerCall = 16;

    /// <summary>Re-reads after losing a race ('stale' or 'changed') before giving the turn to the queue.</summary>
    private const int Tries = 4;

    private static readonly TrialStatus[] FinalStatuses = [.. Enum.GetValues<TrialStatus>().Where(s => s is not (TrialStatus.Queued or TrialStatus.Running))];

    private readonly StoreKeys keys = new(options.KeyPrefix);
    private readonly SweepStore store = new(redis, options, time);

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Creates one trial for the oldest growing sweep that can take one; false when none can.</summary>
    public async Task<bool> TryCreateAnyAsync(CancellationToken cancellationToken = default)
    {
        var growing = await Database.SortedSetRangeByRankAsync(keys.Growing, 0, SweepsPerCall - 1).WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var member in growing)
        {
            var sweepId = (string)member!;
            if (!StoreIds.IsSweepId(sweepId))
            {
                await Database.SortedSetRemoveAsync(keys.Growing, member).ConfigureAwait(false);
                continue;
            }

            if (await TryCreateNextAsync(sweepId, cancellationToken).ConfigureAwait(false) == ProposalOutcome.Created)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Proposes and stores the sweep's next trial, re-reading when another worker got there first.</summary>
    public async Task<ProposalOutcome> TryCreateNextAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        // A cheap look first: a sweep at its concurrency limit is not worth reading whole on every idle poll.
        var summary = await store.GetSweepSummaryAsync(sweepId, cancellationToken).ConfigureAwait(false);
        if (summary?.Sweep.Search is { } budget
            && summary.StatusCounts[TrialStatus.Queued] + summary.StatusCounts[TrialStatus.Running] >= budget.MaxConcurrent)
        {
            if (summary.Sweep.TrialIds.Count > 0 && summary.StatusCounts[TrialStatus.Queued] > 0)
            {
                var last = summary.Sweep.TrialIds[^1];
                await StoreScripts.RequeueLost.EvaluateAsync(Database, [keys.Queue, keys.Trial(last), keys.Sweep(sweepId)], [last, QueueScore.FreshBand]).ConfigureAwait(false);
            }

            return ProposalOutcome.Busy;
        }

        var outcome = ProposalOutcome.Stale;
        for (var attempt = 0; attempt < Tries && outcome is ProposalOutcome.Stale or ProposalOutcome.Changed; attempt++)
        {
            var prepared = await PrepareAsync(sweepId, cancellationToken).ConfigureAwait(false);
            outcome = prepared is null ? await DropAsync(sweepId).ConfigureAwait(false) : await StoreAsync(prepared, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>Reads the sweep and computes its next trial; null when the sweep is not a tpe sweep the store holds.</summary>
    public async Task<PreparedProposal?> PrepareAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        var sweep = await store.GetSweepAsync(sweepId, cancellationToken).ConfigureAwait(false);
        if (sweep?.Search is not { } budget)
        {
            return null;
        }

        var trials = await store.GetTrialsAsync(sweepId, cancellationToken).ConfigureAwait(false);
        // Only the epochs of finished trials shape the model (running ones are pending, under the constant liar).
        var finished = trials.Where(t => FinalStatuses.Contains(t.Status)).ToArray();
        var epochReads = finished.Select(t => store.GetEpochsAsync(t.Id, cancellationToken)).ToArray();
        var epochs = await Task.WhenAll(epochReads).ConfigureAwait(false);
        var byTrial = finished.Select((t, i) => (t.Id, epochs[i])).ToDictionary(p => p.Id, p => p.Item2);

        var definition = SweepSpecParser.Definition(sweep.SourceText);
        var space = SearchSpace.Of(definition.Parameters);
        var history = SearchHistory.Observe(definition, trials, byTrial);
        var settings = new TpeSettings
        {
            StartupTrials = budget.StartupTrials,
            Goal = sweep.Metric.Goal == "minimize" ? SearchGoal.Minimize : SearchGoal.Maximize,
        };
        var number = sweep.TrialIds.Count;
        var proposal = TpeSampler.Propose(space, history, budget.SampleSeed, number, settings);
        var counts = FinalStatuses.Select(s => (s, finished.Count(t => t.Status == s))).ToArray();
        return new PreparedProposal(sweepId, number, TrialPlanner.Proposed(definition, proposal.Values), proposal.Source, sweep.TraceParent, counts);
    }

    /// <summary>Stores a prepared proposal as trial <see cref="PreparedProposal.Number"/>, if the sweep still is as it was read.</summary>
    public async Task<ProposalOutcome> StoreAsync(PreparedProposal proposal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        cancellationToken.ThrowIfCancellationRequested();
        var trialId = StoreIds.TrialId(proposal.SweepId, proposal.Number);
        var previousId = proposal.Number > 0 ? StoreIds.TrialId(proposal.SweepId, proposal.Number - 1) : "";
        RedisKey[] scriptKeys = [keys.Sweep(proposal.SweepId), keys.Growing, keys.Queue, keys.Trial(trialId), keys.Trial(previousId is "" ? trialId : previousId)];
        // No times from this host: the script stamps the trial and its queue score with the store's clock.
        List<RedisValue> arguments =
        [
            proposal.SweepId, proposal.Number, trialId, previousId, RecordJson.Serialize(proposal.Trial.Config), RecordJson.Serialize(proposal.Trial.Parameters),
            QueueScore.FreshBand, options.MaxAttempts, proposal.TraceParent ?? "",
        ];
        foreach (var (status, count) in proposal.Finished)
        {
            arguments.Add(status.ToString());
            arguments.Add(count);
        }

        var result = (string?)await StoreScripts.CreateProposed.EvaluateAsync(Database, scriptKeys, [.. arguments]).ConfigureAwait(false);
        var outcome = Enum.Parse<ProposalOutcome>(result ?? nameof(ProposalOutcome.Missing), ignoreCase: true);
        if (outcome == ProposalOutcome.Created)
        {
            await Database.PublishAsync(keys.Work, trialId).ConfigureAwait(false);
        }

        return outcome;
    }

    // A growing entry whose sweep has no hash (a crash cut its submit short) or is not tpe: the script drops it.
    private async Task<ProposalOutcome> DropAsync(string sweepId)
    {
        var sweep = await store.GetSweepAsync(sweepId).ConfigureAwait(false);
        if (sweep is null)
        {
            RedisKey[] scriptKeys = [keys.Sweep(sweepId), keys.Growing, keys.Queue, keys.Trial(StoreIds.TrialId(sweepId, 0)), keys.Trial(StoreIds.TrialId(sweepId, 0))];
            await StoreScripts.CreateProposed.EvaluateAsync(Database, scriptKeys, [sweepId, 0, StoreIds.TrialId(sweepId, 0), "", "", "", QueueScore.FreshBand, 0, ""]).ConfigureAwait(false);
        }
        else
        {
            await Database.SortedSetRemoveAsync(keys.Growing, sweepId).ConfigureAwait(false);
        }

        return ProposalOutcome.Missing;
    }
}
