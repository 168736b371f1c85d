namespace Experiments.Core.CommandLine;

/// <summary>
/// An expected way for a command to fail (a file that is not there, a config the rules refuse, a data set to download):
/// <see cref="CommandLineRunner"/> prints each line on stderr and exits with <see cref="ExitCode"/>, without a stack trace.
/// </summary>
public sealed class CommandLineFailure(IReadOnlyList<string> lines, int exitCode = CommandLineRunner.Failed, Exception? inner = null)
    : Exception(string.Join("; ", lines), inner)
{
    public CommandLineFailure(string line, int exitCode = CommandLineRunner.Failed, Exception? inner = null)
        : this([line], exitCode, inner)
    {
    }

    public IReadOnlyList<string> Lines { get; } = lines;

    public int ExitCode { get; } = exitCode;
}
