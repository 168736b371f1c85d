using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Api;

/// <summary>Lets a state-changing call through only with the right <c>X-Api-Key</c> header; 401 problem otherwise.</summary>
public sealed class ApiKeyFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();
        var expected = Encoding.UTF8.GetBytes(options.Value.Key);
        // Fixed-time comparison: response timing must not reveal how much of a guessed key was right.
        if (presented.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expected))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Missing or wrong API key",
                detail: $"State-changing calls need the '{HeaderName}' header with the key the AppHost generated (parameter 'api-key').");
        }

        return await next(context);
    }
}
