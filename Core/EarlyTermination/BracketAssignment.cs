using System.Text;
using Experiments.Core.Specs;

namespace Experiments.Core.EarlyTermination;

/// <summary>
/// Which Hyperband bracket a trial runs in: a pure function of the sweep id and the trial's index, so every worker,
/// the Dashboard and a replay after a crash agree without storing anything. Trial indexes are cut into cycles of
/// sum(budgets) consecutive indexes; each cycle is a seeded shuffle of exactly budget[b] slots per bracket b.
/// So every full cycle matches Hyperband's allocation exactly (Optuna hashes each trial on its own and matches it only
/// on average), and the shuffle keeps brackets from lining up with a grid's expansion order. Sweeps that grow get
/// the next indexes and continue the same sequence.
/// </summary>
public static class BracketAssignment
{
    public static int BracketOf(string sweepId, int trialIndex, IReadOnlyList<int> budgets)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentOutOfRangeException.ThrowIfNegative(trialIndex);
        var total = budgets.Sum();
        if (budgets.Count == 1)
        {
            return 0;
        }

        var cycle = (ulong)(trialIndex / total);
        var slot = trialIndex % total;

        // Fisher-Yates over the cycle's slots; our own generator and hash so the answer never changes with .NET.
        var random = new SplitMix64(Fnv1a(sweepId) ^ (cycle * 0x9E3779B97F4A7C15UL));
        var slots = new int[total];
        for (var i = 0; i < total; i++)
        {
            slots[i] = i;
        }

        for (var i = total - 1; i > 0; i--)
        {
            var j = (int)(random.Next() % (ulong)(i + 1));
            (slots[i], slots[j]) = (slots[j], slots[i]);
        }

        var position = slots[slot];
        for (var bracket = 0; bracket < budgets.Count; bracket++)
        {
            position -= budgets[bracket];
            if (position < 0)
            {
                return bracket;
            }
        }

        throw new InvalidOperationException("Unreachable: a slot lies within the budgets' total.");
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        return hash;
    }
}
