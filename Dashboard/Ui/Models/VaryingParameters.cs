namespace Experiments.Dashboard.Ui.Models;

/// <summary>Which parameters differ between trials: the only ones worth a column by default.</summary>
public static class VaryingParameters
{
    /// <summary>Every key seen, in first-seen order.</summary>
    public static IReadOnlyList<string> AllKeys(IEnumerable<IReadOnlyDictionary<string, string>> parameterSets)
    {
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in parameterSets)
        {
            foreach (var key in set.Keys)
            {
                if (seen.Add(key))
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }

    /// <summary>Keys whose value is not the same in every set (a key missing from some sets varies too).</summary>
    public static IReadOnlyList<string> Find(IReadOnlyList<IReadOnlyDictionary<string, string>> parameterSets)
    {
        var keys = AllKeys(parameterSets);
        return keys.Where(key => Varies(parameterSets, key)).ToList();
    }

    private static bool Varies(IReadOnlyList<IReadOnlyDictionary<string, string>> sets, string key)
    {
        string? first = null;
        var firstSeen = false;
        foreach (var set in sets)
        {
            set.TryGetValue(key, out var value);
            if (!firstSeen)
            {
                first = value;
                firstSeen = true;
            }
            else if (!string.Equals(first, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
