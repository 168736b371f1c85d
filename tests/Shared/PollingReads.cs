using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Experiments.Tests.Shared;

/// <summary>
/// A read of the Dashboard's API as a polling script makes it: 503 means the store did not answer (the API's
/// contract is "retry after Retry-After"), so it waits and asks again, up to a minute; any other failure throws.
/// </summary>
internal static class PollingReads
{
    private const int MostTries = 12;

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.SendUntilAnsweredAsync(() => new HttpRequestMessage(HttpMethod.Get, path), MostTries);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// Sends a fresh request from <paramref name="request"/> until the answer is not a 503 (which changed nothing) or
    /// <paramref name="tries"/> were made, waiting each 503's Retry-After between; returns the last answer.
    /// </summary>
    public static async Task<HttpResponseMessage> SendUntilAnsweredAsync(this HttpClient client, Func<HttpRequestMessage> request, int tries)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            var response = await client.SendAsync(message);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == tries)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5);
            response.Dispose();
            await Task.Delay(wait);
        }
    }
}
