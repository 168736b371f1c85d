using System.Globalization;

namespace Experiments.Throughput;

/// <summary><c>--name value</c> pairs with defaults.</summary>
internal sealed class BenchArgs(string[] args)
{
    public int Int(string name, int fallback) =>
        Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string String(string name, string fallback) => Value(name) ?? fallback;

    private string? Value(string name)
    {
        int i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
