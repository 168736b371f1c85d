using System.Globalization;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Core.Checkpoints;

/// <summary>
/// Which files hold a trial's <c>last</c> and <c>best</c> checkpoints. A queued trial's attempt writes each epoch's
/// checkpoint to a name of its own (<see cref="ForEpoch"/>, never rewritten), and the fenced script that records the
/// epoch stores that name in the trial's record as the committed <c>last</c> (and <c>best</c> when it improved). So a
/// zombie attempt (reaped while paused, now awake) can only write names nobody has committed: the next attempt
/// resumes from, and the Dashboard serves, what the record names. A record without committed names (written before
/// this layout, or a local <c>train</c> run) means the fixed files <see cref="LastName"/> and <see cref="BestName"/>.
/// </summary>
/// <param name="Last">The file of the last recorded epoch, or null before the first.</param>
/// <param name="Best">The file of the best epoch so far (policies that keep one), or null.</param>
public sealed record TrialCheckpoints(string? Last, string? Best)
{
    /// <summary>The logical names users, pages and routes speak of; also the files of the fixed (unfenced) layout.</summary>
    public const string LastName = "last";

    /// <inheritdoc cref="LastName"/>
    public const string BestName = "best";

    /// <summary>The fixed layout: what a record without committed names (older data, a local run) refers to.</summary>
    public static TrialCheckpoints Fixed { get; } = new(LastName, BestName);

    /// <summary>The one file attempt <paramref name="attempt"/> writes for <paramref name="epoch"/>: <c>e7-a3</c>.</summary>
    public static string ForEpoch(int attempt, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epoch);
        return string.Create(CultureInfo.InvariantCulture, $"e{epoch}-a{attempt}");
    }

    /// <summary>The attempt and epoch a per-attempt file name carries; false for a fixed name or anything else.</summary>
    public static bool TryParse(string name, out int attempt, out int epoch)
    {
        attempt = epoch = 0;
        var parts = name.Split('-');
        return parts.Length == 2 && parts[0].Length > 1 && parts[0][0] == 'e' && parts[1].Length > 1 && parts[1][0] == 'a'
            && int.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out epoch)
            && int.TryParse(parts[1].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out attempt)
            && epoch > 0 && attempt > 0;
    }

    /// <summary>The file a logical name (<see cref="LastName"/> or <see cref="BestName"/>) refers to, or null for any other name.</summary>
    public string? FileOf(string logical) => logical switch
    {
        LastName => Last,
        BestName => Best,
        _ => null,
    };

    /// <summary>
    /// The checkpoints a reader of <paramref name="record"/> (the Dashboard's downloads and exports) may open: by
    /// logical name, best then last, with the file behind each. A trial that ended completed or pruned under a policy
    /// that drops <c>last</c> offers no <c>last</c> (its file may be the one kept as <c>best</c>). Whether the file
    /// exists is the caller's to check.
    /// </summary>
    public static IReadOnlyList<(string Name, string File)> Offered(TrialRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var committed = record.Checkpoints;
        List<(string, string)> offered = [];
        if (committed.Best is { } best)
            offered.Add((BestName, best));
        bool dropsLast = record.Config.Checkpoint == KeptCheckpoints.Best && record.Status is TrialStatus.Completed or TrialStatus.Pruned;
        if (committed.Last is { } last && !dropsLast)
            offered.Add((LastName, last));
        return offered;
    }

    /// <summary>
    /// What a trial's record commits: its stored names, or the fixed layout when it has none (a record from before
    /// per-attempt files, whose files are still <c>last</c>/<c>best</c>).
    /// </summary>
    public static TrialCheckpoints Committed(string? last, string? best) => last is null ? Fixed : new(last, best);
}
