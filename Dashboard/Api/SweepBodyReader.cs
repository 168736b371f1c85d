using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Experiments.Dashboard.Api;

/// <summary>Reads a sweep file from a request body with a hard size cap and strict UTF-8.</summary>
internal static class SweepBodyReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<(string? Text, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Empty body", detail: "Send a sweep file (YAML or JSON) as the request body."));
        }

        try
        {
            return (StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
        catch (DecoderFallbackException ex)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Body is not UTF-8 text", detail: $"Invalid UTF-8 at byte {ex.Index}."));
        }
    }

    private static ProblemHttpResult TooLarge(int maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Sweep file too large",
        detail: $"The body exceeds {maxBytes} bytes (Api:MaxSweepBytes).");
}
