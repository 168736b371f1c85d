using System.Text;

namespace Experiments.AppHost.Store;

/// <summary>
/// The local redis-server's settings, as a config file instead of arguments: a password on a command line is visible
/// to every user of the machine (<c>ps</c>, <c>/proc/&lt;pid&gt;/cmdline</c>). The file is written at each start into
/// the store's data folder, readable and writable by its owner only (0600).
/// </summary>
internal static class RedisServerConfig
{
    public const string FileName = "redis-server.conf";

    public static async Task<string> WriteAsync(string dataDirectory, string password, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, FileName);
        string[] lines =
        [
            "bind 127.0.0.1",
            $"requirepass {Quote(password)}",
            // Every acknowledged write is on disk before the reply: appendfsync always survives kill -9.
            "appendonly yes",
            "appendfsync always",
            $"dir {Quote(dataDirectory)}",
            "save \"\"",
        ];

        // Replaced, never rewritten in place: a file left from before with wider permissions must not keep them.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var file = new FileStream(path, options);
        await file.WriteAsync(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), cancellationToken);
        return path;
    }

    /// <summary>redis.conf quoting: double quotes, with backslash and quote escaped.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
