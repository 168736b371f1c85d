using System.Text.Json;

namespace Experiments.Core.Specs;

/// <summary>
/// <see cref="TrainingConfig"/> as JSON with the same snake_case names a sweep file uses, so a stored config
/// reads like the <c>base:</c> that produced it.
/// </summary>
public static class TrainingConfigJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(TrainingConfig config) => JsonSerializer.Serialize(config, Options);

    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static TrainingConfig Deserialize(string json) =>
        JsonSerializer.Deserialize<TrainingConfig>(json, Options) ?? throw new JsonException("expected a TrainingConfig object, found null");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
