using System.Text.Json;
using System.Text.Json.Serialization;

namespace Experiments.Dashboard.Api;

/// <summary>
/// Writes a value that is not finite (a diverging trial's NaN or infinite loss, in its epochs and its live progress)
/// as JSON <c>null</c>. JSON has no NaN: the default serializer throws on one after the response has begun, and the
/// client saw the connection cut mid-body. Reading is unchanged.
/// </summary>
internal sealed class FiniteDoubleJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
