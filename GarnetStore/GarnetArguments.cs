using System.CommandLine;
using System.Net;
using Experiments.Core.CommandLine;
using Experiments.Core.Queue;

namespace Experiments.GarnetStore;

/// <summary>
/// Our store's settings, read from the command line and environment, and the Garnet command line they become.
/// Garnet runs durable (AOF committed before each reply, recovered on start), tiered to disk (nothing evicted),
/// compacting its log by checkpoints, with Lua, bound to loopback unless asked otherwise, and always password-protected.
/// </summary>
public sealed record GarnetArguments(int Port, string Password, string DataDirectory, IReadOnlyList<string> ExtraArguments)
{
    public const int DefaultPort = 6379;
    public const string DefaultDataDirectory = ".data/garnet";
    public const string PortVariable = "STORE_PORT";
    public const string PasswordVariable = "STORE_PASSWORD";
    public const string DataDirectoryVariable = "STORE_DATA_DIR";
    public const string BindVariable = "STORE_BIND";

    /// <summary>
    /// The shortest password a store reachable from other machines accepts: AUTH can be tried as fast as the network
    /// carries it, so a short password on an open port is guessed; the AppHost generates 32 characters.
    /// </summary>
    public const int MinNetworkPasswordLength = 16;

    /// <summary>Garnet flags that would undo the address or the password we set: never passed through.</summary>
    private static readonly string[] ReservedGarnetFlags = ["--auth", "--password"];

    /// <summary>The address the store listens on: loopback unless <c>--bind</c> or STORE_BIND asks for another.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Whether other machines can reach the store (any address but loopback, including 0.0.0.0 and ::).</summary>
    public bool ListensBeyondLoopback => !IPAddress.IsLoopback(BindAddress);

    /// <summary>
    /// The store host's command line: <c>--port</c> (else STORE_PORT), <c>--bind</c> (else STORE_BIND) and <c>--data-dir</c> (else STORE_DATA_DIR, resolved
    /// against <paramref name="currentDirectory"/>); any other argument passes to Garnet. The password only ever comes
    /// from STORE_PASSWORD, never the command line, where other processes could read it.
    /// </summary>
    public static Command CreateCommand(Func<string, string?> environment, string currentDirectory, Func<GarnetArguments, CancellationToken, Task<int>> run)
    {
        var command = new RootCommand("Runs Microsoft Garnet durable (AOF, recovered on start, compacted by checkpoints), tiered to disk, with Lua, on loopback unless --bind says otherwise, behind a password.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(PortOption);
        command.Options.Add(DataDirectoryOption);
        command.Options.Add(BindOption);
        command.SetAction((parsed, ct) =>
        {
            GarnetArguments arguments;
            try
            {
                arguments = From(parsed, environment, currentDirectory);
            }
            catch (StoreConfigurationException e)
            {
                throw new CommandLineFailure(e.Message, CommandLineRunner.UsageError, e);
            }

            return run(arguments, ct);
        });
        return command;
    }

    /// <summary>Reads the command line and environment as <see cref="CreateCommand"/> does.</summary>
    /// <exception cref="StoreConfigurationException">A setting is missing or invalid.</exception>
    public static GarnetArguments Parse(IReadOnlyList<string> args, Func<string, string?> environment, string currentDirectory)
    {
        var parsed = CreateCommand(environment, currentDirectory, (_, _) => Task.FromResult(0)).Parse(args);
        return parsed.Errors.Count == 0
            ? From(parsed, environment, currentDirectory)
            : throw new StoreConfigurationException(string.Join(" ", parsed.Errors.Select(e => e.Message)));
    }

    private static readonly Option<string?> PortOption = new("--port") { Description = $"TCP port (default: {PortVariable}, else {DefaultPort})" };
    private static readonly Option<string?> BindOption = new("--bind")
    {
        Description = $"IP address to listen on (default: {BindVariable}, else 127.0.0.1). Any other address lets other machines reach the store; it then needs a password of at least {MinNetworkPasswordLength} characters",
        HelpName = "address",
    };
    private static readonly Option<string?> DataDirectoryOption = new("--data-dir") { Description = $"Where the AOF and checkpoints go (default: {DataDirectoryVariable}, else {DefaultDataDirectory})", HelpName = "folder" };

    private static GarnetArguments From(ParseResult parsed, Func<string, string?> environment, string currentDirectory)
    {
        string? portText = parsed.GetValue(PortOption) ?? environment(PortVariable);
        var port = DefaultPort;
        if (!string.IsNullOrWhiteSpace(portText) && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            throw new StoreConfigurationException($"The store port '{portText}' is not a TCP port (1-65535).");
        }

        var bindText = parsed.GetValue(BindOption) ?? environment(BindVariable);
        var bind = IPAddress.Loopback;
        if (!string.IsNullOrWhiteSpace(bindText) && !StoreBindAddress.TryParse(bindText, out bind))
        {
            throw new StoreConfigurationException(
                $"The store bind address '{bindText}' is not an IP address (e.g. 127.0.0.1, 10.0.0.5, 0.0.0.0 for every interface).");
        }

        var password = environment(PasswordVariable);
        var beyondLoopback = !IPAddress.IsLoopback(bind);
        if (string.IsNullOrEmpty(password))
        {
            throw new StoreConfigurationException(beyondLoopback
                ? $"{PasswordVariable} is not set and the store would listen on {bind}, reachable from other machines. The store refuses to start without a password: set {PasswordVariable} (at least {MinNetworkPasswordLength} characters; the AppHost generates one)."
                : $"{PasswordVariable} is not set. The store refuses to start without a password: set {PasswordVariable} (the AppHost does this).");
        }

        if (beyondLoopback && password.Length < MinNetworkPasswordLength)
        {
            throw new StoreConfigurationException(
                $"{PasswordVariable} has {password.Length} characters but the store would listen on {bind}, reachable from other machines: such a store needs a password of at least {MinNetworkPasswordLength} characters.");
        }

        if (parsed.UnmatchedTokens.FirstOrDefault(t => ReservedGarnetFlags.Contains(t.Split('=')[0], StringComparer.OrdinalIgnoreCase)) is { } reserved)
        {
            throw new StoreConfigurationException(
                $"The Garnet flag '{reserved}' cannot be passed through: the store always listens where --bind/{BindVariable} says and always requires {PasswordVariable}.");
        }

        var dataDirectory = parsed.GetValue(DataDirectoryOption) ?? environment(DataDirectoryVariable);
        dataDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? DefaultDataDirectory : dataDirectory, currentDirectory);
        return new GarnetArguments(port, password, dataDirectory, [.. parsed.UnmatchedTokens]) { BindAddress = bind };
    }

    public string LogDirectory => Path.Combine(DataDirectory, "log");

    public string CheckpointDirectory => Path.Combine(DataDirectory, "checkpoints");

    /// <summary>
    /// Log compaction: a checkpoint every 10 minutes, and sooner once the AOF passes 64 MB (checked every second). A
    /// checkpoint lets Garnet drop the AOF before it, in whole 32 MB segments, so the AOF stays near 100 MB however
    /// long the store lives and a start replays only what came after the last checkpoint. A flag given on the
    /// command line overrides its default here. A kill -9 inside a checkpoint is safe only because the store starts
    /// through <see cref="FencedGarnetServer"/>: Garnet alone could reuse a store version and replay stale writes (issue 8).
    /// </summary>
    public static readonly IReadOnlyList<(string Flag, string Value)> CompactionDefaults =
    [
        ("--checkpoint-freq", "600"),
        ("--aof-size-limit", "64m"),
        // The size check is two address reads: every second keeps the overshoot to one second of writes.
        ("--aof-size-limit-enforce-frequency", "1"),
        // The smallest segment the default 32 MB AOF page allows: truncation frees disk in steps of this size.
        ("--aof-segment-size", "32m"),
    ];

    /// <summary>The command line for <c>new GarnetServer(args)</c>.</summary>
    public string[] ToGarnetArgs() =>
    [
        "--bind", BindAddress.ToString(),
        "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--auth", "Password",
        "--password", Password,
        "--lua",
        // Without it Garnet runs a script's commands interleaved with other clients': scripts would not be atomic.
        "--lua-transaction-mode",
        "--aof",
        "--aof-commit-wait",
        "--recover",
        "--storage-tier",
        "--logdir", LogDirectory,
        "--checkpointdir", CheckpointDirectory,
        // The default device loads a native library that needs a newer glibc than Debian 12's and FailFasts.
        "--device-type", "RandomAccess",
        .. CompactionDefaults.Where(d => !ExtraArguments.Contains(d.Flag)).SelectMany(d => new[] { d.Flag, d.Value }),
        .. ExtraArguments,
    ];
}
