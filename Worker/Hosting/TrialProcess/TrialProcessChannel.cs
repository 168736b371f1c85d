using System.Text;
using System.Text.Json;

namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// JSON lines between the worker and its trainer child, one message per line (JSON escapes every newline inside a
/// string). Writes are serialised: the training thread, the listener of spans and async continuations all send.
/// </summary>
internal sealed class TrialProcessChannel(TextWriter writer)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A diverged epoch's losses are NaN or infinite; they must cross as they are.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly Lock _lock = new();

    /// <summary>Writes one line and flushes it. Throws <see cref="IOException"/> when the other side has gone.</summary>
    public void Send<T>(T message)
    {
        var line = JsonSerializer.Serialize(message, Json);
        lock (_lock)
        {
            writer.Write(line);
            writer.Write('\n');
            writer.Flush();
        }
    }

    public static T? Parse<T>(string line) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, Json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not ours (a native library writing to stdout): the caller treats it as plain output.
            return null;
        }
    }
}
