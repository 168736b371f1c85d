using Microsoft.Extensions.Configuration;

namespace Experiments.AppHost.Store;

/// <summary>The AppHost's <c>Store</c> section.</summary>
public sealed record StoreSettings(StoreMode Mode, string DataDirectory, string RedisServerPath)
{
    public const string SectionName = "Store";

    public static StoreSettings From(IConfiguration configuration, string repositoryRoot)
    {
        var section = configuration.GetSection(SectionName);
        var modeText = section["Mode"] ?? "embedded";
        if (!TryParseMode(modeText, out var mode))
        {
            throw new InvalidOperationException(
                $"Store:Mode '{modeText}' is not one of embedded, redis-server, container, external.");
        }

        var dataDirectory = section["DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, repositoryRoot)
            : Path.Combine(repositoryRoot, ".data", mode == StoreMode.Embedded ? "garnet" : "redis");
        return new StoreSettings(mode, dataDirectory, section["RedisServerPath"] ?? "redis-server");
    }

    private static bool TryParseMode(string text, out StoreMode mode)
        => Enum.TryParse(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out mode) && Enum.IsDefined(mode);
}
