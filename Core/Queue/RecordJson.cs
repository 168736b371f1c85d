using System.Text.Json;
using System.Text.Json.Serialization;

namespace Experiments.Core.Queue;

/// <summary>The JSON form of everything the store keeps as text: snake_case like the sweep files.</summary>
internal static class RecordJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // A diverged epoch has NaN or infinite losses; they must round-trip rather than fail the write.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"The store holds 'null' where a {typeof(T).Name} was expected.");
}
