namespace Experiments.Core.Specs;

/// <summary>Reads a mapping node by key, reporting duplicate and unknown keys at their own paths.</summary>
internal static class SpecMappings
{
    /// <summary>The entries of <paramref name="node"/> in file order (first occurrence of each key), or null if it is not a mapping.</summary>
    /// <param name="allowed">Known keys; null accepts any (the caller judges them).</param>
    public static OrderedDictionary<string, SpecNode>? Read(
        SpecNode node, string path, SpecErrorList errors, IReadOnlyCollection<string>? allowed, string unknownMessage = "unknown key")
    {
        if (node is not SpecMapping mapping)
        {
            errors.Add(path.Length == 0 ? SpecPath.Document : path, $"must be a mapping, got {node.Describe()}");
            return null;
        }

        var entries = new OrderedDictionary<string, SpecNode>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            var keyPath = SpecPath.Key(path, key);
            if (allowed is not null && !allowed.Contains(key))
            {
                errors.Add(keyPath, unknownMessage);
            }
            else if (!entries.TryAdd(key, value))
            {
                errors.Add(keyPath, "duplicate key");
            }
        }

        return entries;
    }
}
