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
        ArgumentNullException.ThrowIfNull(client);
        for (var attempt = 1; ; attempt++)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == MostTries)
            {
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5));
        }
    }
}
