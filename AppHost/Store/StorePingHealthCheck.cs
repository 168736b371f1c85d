using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Experiments.AppHost.Store;

/// <summary>
/// Healthy once the store answers PING with the password: what everything that waits for the store waits for.
/// Without it, WaitFor would only wait for the process to be running, not for the server to listen.
/// </summary>
internal sealed class StorePingHealthCheck(IResourceWithConnectionString store) : IHealthCheck, IAsyncDisposable
{
    private ConnectionMultiplexer? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (_connection is null)
            {
                var connectionString = await store.GetConnectionStringAsync(cancellationToken)
                    ?? throw new InvalidOperationException($"The connection string of '{store.Name}' is not available yet.");
                var options = ConfigurationOptions.Parse(connectionString);
                options.AbortOnConnectFail = true;
                options.ConnectTimeout = 2000;
                _connection = await ConnectionMultiplexer.ConnectAsync(options);
            }

            await _connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }

            return HealthCheckResult.Unhealthy($"The store '{store.Name}' does not answer PING yet.", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
