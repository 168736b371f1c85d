using Experiments.Core.Checkpoints;

namespace Experiments.Worker.Training.Checkpointing;

/// <summary>
/// The checkpoint files one attempt reads and writes. It starts from what the trial's record committed (resumes from
/// its <c>last</c>), writes each epoch to a name of its own, and after each epoch report either commits (the report
/// was accepted under the lease); an attempt that lost its lease leaves its files to <see cref="RemoveUncommitted"/>.
/// <para>
/// Cleanup is safe against a zombie (this attempt, or an older one, paused past its lease and now awake): a commit
/// removes only files of older attempts and this attempt's own earlier epochs that the commit does not name. A newer
/// attempt starts from what this attempt committed last, so what it commits is either named by this attempt's commit
/// or a file of its own, which no older attempt ever removes.
/// </para>
/// A local run (<see cref="TrialRun.PerAttemptFiles"/> false) rewrites the fixed <c>last</c>/<c>best</c> in place
/// and removes nothing.
/// </summary>
public sealed class AttemptCheckpointFiles
{
    private readonly CheckpointStore store;
    private readonly string trialId;
    private readonly int attempt;
    private readonly bool perAttempt;

    public AttemptCheckpointFiles(CheckpointStore store, TrialRun run, CheckpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(policy);
        this.store = store;
        trialId = run.TrialId;
        attempt = run.Attempt;
        perAttempt = run.PerAttemptFiles;
        KeepsBest = policy.KeepsBest;
        Last = run.Committed.Last is { } last && store.Exists(trialId, last) ? last : null;
        Best = KeepsBest && run.Committed.Best is { } best && store.Exists(trialId, best) ? best : null;
    }

    public bool KeepsBest { get; }

    /// <summary>The committed <c>last</c> (what a resume reads), or null when there is none to resume from.</summary>
    public string? Last { get; private set; }

    /// <summary>The committed <c>best</c> (policies that keep one), or null.</summary>
    public string? Best { get; private set; }

    /// <summary>What resuming commits again: the files it resumed from.</summary>
    public TrialCheckpoints Current => new(Last, Best);

    /// <summary>The file this attempt writes epoch <paramref name="epoch"/>'s <c>last</c> to.</summary>
    public string LastFor(int epoch) => perAttempt ? TrialCheckpoints.ForEpoch(attempt, epoch) : TrialCheckpoints.LastName;

    /// <summary>
    /// The file this attempt writes a new <c>best</c> at <paramref name="epoch"/> to: with per-attempt files, the
    /// epoch's own file (the same bytes), so nothing is written twice.
    /// </summary>
    public string BestFor(int epoch) => perAttempt ? TrialCheckpoints.ForEpoch(attempt, epoch) : TrialCheckpoints.BestName;

    /// <summary>The report for <paramref name="written"/> was accepted: they are the trial's now; older files go.</summary>
    /// <returns>The files removed.</returns>
    public IReadOnlyList<string> Commit(int epoch, TrialCheckpoints written)
    {
        ArgumentNullException.ThrowIfNull(written);
        Last = written.Last;
        Best = written.Best;
        if (!perAttempt)
        {
            return [];
        }

        List<string> removed = [];
        foreach (var file in store.List(trialId))
        {
            if (file.Name == Last || file.Name == Best)
            {
                continue;
            }

            bool superseded = TrialCheckpoints.TryParse(file.Name, out var writer, out var writtenEpoch)
                ? writer < attempt || (writer == attempt && writtenEpoch < epoch)
                : file.Name is TrialCheckpoints.LastName or TrialCheckpoints.BestName; // a record from before per-attempt files
            if (superseded && store.Delete(trialId, file.Name))
            {
                removed.Add(file.Name);
            }
        }

        return removed;
    }

    /// <summary>
    /// After attempt <paramref name="attempt"/> lost its lease (and its trainer ended): removes the files of that
    /// attempt that <paramref name="committed"/> (the trial's record, read after the loss) does not name. Safe: an
    /// attempt's files are committed only by its own reports, and none can be accepted after the loss (attempt numbers
    /// are never reused), so what the record does not name now it never will; a file it names (the next attempt may
    /// be resuming from it) stays. Returns the files removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveUncommitted(CheckpointStore store, string trialId, int attempt, TrialCheckpoints committed)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(committed);
        List<string> removed = [];
        foreach (var file in store.List(trialId))
        {
            if (TrialCheckpoints.TryParse(file.Name, out var writer, out _) && writer == attempt
                && file.Name != committed.Last && file.Name != committed.Best && store.Delete(trialId, file.Name))
            {
                removed.Add(file.Name);
            }
        }

        return removed;
    }
}
