using System.CommandLine;
using Experiments.Core.CommandLine;

namespace Experiments.Throughput;

/// <summary>The options several benchmarks share.</summary>
internal static class BenchOptions
{
    public static Option<int> Threads() => CommandLineOptions.Integer("--threads", "torch intra-op threads", 2, min: 1);

    public static Option<int> Batch(int fallback) => CommandLineOptions.Integer("--batch", "Images per batch", fallback, min: 2);

    public static Option<int> Steps(int fallback) => CommandLineOptions.Integer("--steps", "Timed steps per round", fallback, min: 1);

    public static Command Command(string name, string description, params Option[] options)
    {
        var command = new Command(name, description);
        foreach (var option in options)
            command.Options.Add(option);
        return command;
    }
}
