namespace Experiments.GarnetStore;

/// <summary>
/// Our store's settings, read from the command line and environment, and the Garnet command line they become.
/// Garnet runs durable (AOF committed before each reply, recovered on start), tiered to disk (nothing evicted),
/// compacting its log by checkpoints, with Lua, bound to loopback and password-protected.
/// </summary>
public sealed record GarnetArguments(int Port, string Password, string DataDirectory, IReadOnlyList<string> ExtraArguments)
{
    public const int DefaultPort = 6379;
    public const string DefaultDataDirectory = ".data/garnet";
    public const string PortVariable = "STORE_PORT";
    public const string PasswordVariable = "STORE_PASSWORD";
    public const string DataDirectoryVariable = "STORE_DATA_DIR";

    /// <summary>Reads <c>--port</c> (or STORE_PORT), STORE_PASSWORD and STORE_DATA_DIR; other arguments pass to Garnet.</summary>
    /// <exception cref="StoreConfigurationException">A setting is missing or invalid.</exception>
    public static GarnetArguments Parse(IReadOnlyList<string> args, Func<string, string?> environment, string currentDirectory)
    {
        string? portText = environment(PortVariable);
        var extra = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--port")
            {
                portText = i + 1 < args.Count ? args[++i] : throw new StoreConfigurationException("--port needs a value.");
            }
            else
            {
                extra.Add(args[i]);
            }
        }

        var port = DefaultPort;
        if (!string.IsNullOrWhiteSpace(portText) && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            throw new StoreConfigurationException($"The store port '{portText}' is not a TCP port (1-65535).");
        }

        var password = environment(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            throw new StoreConfigurationException(
                $"{PasswordVariable} is not set. The store refuses to start without a password: set {PasswordVariable} (the AppHost does this).");
        }

        var dataDirectory = environment(DataDirectoryVariable);
        dataDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? DefaultDataDirectory : dataDirectory, currentDirectory);
        return new GarnetArguments(port, password, dataDirectory, extra);
    }

    public string LogDirectory => Path.Combine(DataDirectory, "log");

    public string CheckpointDirectory => Path.Combine(DataDirectory, "checkpoints");

    /// <summary>
    /// Log compaction: a checkpoint every 10 minutes, and sooner once the AOF passes 64 MB (checked every second). A
    /// checkpoint lets Garnet drop the AOF before it, in whole 32 MB segments, so the AOF stays near 100 MB however
    /// long the store lives and a start replays only what came after the last checkpoint. A flag given on the
    /// command line overrides its default here.
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
        "--bind", "127.0.0.1",
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
