using Experiments.Core;
using Experiments.Core.Checkpoints;
using Experiments.Core.Queue;

namespace Experiments.AppHost;

/// <summary>
/// The configuration keys the AppHost sets on the services, one key per concept, each exactly the key the service
/// binds (tests/EndToEnd.Tests/ServiceSettingsTests proves every one against the services' own options). Keys from
/// the shared library come from its option classes; the others are the services' sections.
/// </summary>
internal static class ServiceSettings
{
    /// <summary>The store's resource name, which is also the connection string's name the services read.</summary>
    public const string StoreConnection = StoreRegistration.ConnectionName;

    /// <summary>Worker and Dashboard: where checkpoints are written, listed and downloaded.</summary>
    public const string CheckpointRoot = CheckpointOptions.RootKey;

    /// <summary>Worker: the data sets folder; Dashboard: the same folder, only read (the images its pages show).</summary>
    public const string DataRoot = "Data:Root";

    /// <summary>Worker: its device (cpu, cuda:N).</summary>
    public const string WorkerDevice = "Worker:Device";

    /// <summary>Worker: torch intra-op threads (0 = libtorch's default).</summary>
    public const string TrainingThreads = "Training:Threads";

    /// <summary>Dashboard: the API key (<c>X-Api-Key</c>).</summary>
    public const string ApiKey = "Api:Key";

    /// <summary>Dashboard: the sign-in token.</summary>
    public const string DashboardToken = "Dashboard:BrowserToken";

    /// <summary>Dashboard: the link from a trial to its trace in the Aspire dashboard.</summary>
    public const string TraceUrlTemplate = "Dashboard:TraceUrlTemplate";

    /// <summary>
    /// Queue settings read by both services, which must agree (the Dashboard stamps MaxAttempts on submitted trials,
    /// the workers lease for LeaseDuration and requeue up to MaxInterruptions, both build keys with KeyPrefix): set
    /// once on the AppHost, passed to both.
    /// </summary>
    public static readonly string[] SharedStoreSettings =
    [
        $"{StoreOptions.SectionName}:{nameof(StoreOptions.KeyPrefix)}",
        $"{StoreOptions.SectionName}:{nameof(StoreOptions.LeaseDuration)}",
        $"{StoreOptions.SectionName}:{nameof(StoreOptions.MaxAttempts)}",
        $"{StoreOptions.SectionName}:{nameof(StoreOptions.MaxInterruptions)}",
    ];

    /// <summary>A key as an environment variable: <c>Checkpoints:Root</c> is <c>Checkpoints__Root</c>.</summary>
    public static string Environment(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
