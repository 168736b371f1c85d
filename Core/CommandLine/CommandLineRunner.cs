using System.CommandLine;
using System.CommandLine.Help;

namespace Experiments.Core.CommandLine;

/// <summary>
/// Runs a command the way every program here does (<c>train</c>, the benchmarks, the store host): <c>--help</c> prints
/// usage and exits 0; a parse error or a bad value is one line on stderr naming the option, exit 2; an expected
/// failure is its line(s), exit 1; never a stack trace. Paths are taken relative to the working directory the user
/// ran the command from.
/// </summary>
public static class CommandLineRunner
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    /// <summary>What a run stopped by Ctrl+C or SIGTERM exits with (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>A command named as the user types it (<c>train</c>), with <c>-h</c>/<c>--help</c>.</summary>
    public static Command Create(string name, string description)
    {
        var command = new Command(name, description);
        command.Options.Add(new HelpOption());
        return command;
    }

    /// <param name="cancelOnTermination">
    /// Whether Ctrl+C / SIGTERM cancel the action's token (it then has 2 s to stop before the run ends with
    /// <see cref="Interrupted"/>). A program with its own orderly shutdown (the store host) passes false.
    /// </param>
    public static async Task<int> RunAsync(Command command, IReadOnlyList<string> args, CancellationToken cancellationToken = default, bool cancelOnTermination = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        var result = command.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync($"{command.Name}: {error.Message} (see {command.Name} --help)").ConfigureAwait(false);
            }

            return UsageError;
        }

        try
        {
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (!cancelOnTermination)
            {
                invocation.ProcessTerminationTimeout = null;
            }

            return await result.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandLineFailure failure)
        {
            foreach (var line in failure.Lines)
            {
                await Console.Error.WriteLineAsync($"{command.Name}: {line}").ConfigureAwait(false);
            }

            return failure.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"{command.Name}: interrupted").ConfigureAwait(false);
            return Interrupted;
        }
        catch (Exception unexpected)
        {
            // Still one line: what failed and why. A stack trace helps no one who typed a command.
            await Console.Error.WriteLineAsync($"{command.Name}: {unexpected.GetType().Name}: {unexpected.Message}").ConfigureAwait(false);
            return Failed;
        }
    }
}
