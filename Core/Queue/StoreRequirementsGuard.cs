using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>
/// Runs <see cref="StoreEvictionCheck"/> and <see cref="StoreClusterCheck"/> when a service starts: an evicting store,
/// or a cluster under an untagged key prefix, stops the start with the reason. A store that does not answer yet is
/// checked again in the background (services keep running through outages), and the service stops once it answers
/// and fails a check.
/// </summary>
internal sealed partial class StoreRequirementsGuard(
    IConnectionMultiplexer redis, StoreOptions options, IHostApplicationLifetime lifetime, ILogger<StoreRequirementsGuard> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _retry;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureAsync().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreFaults.IsUnreachable(ex) || ex is TimeoutException)
        {
            _retry = RetryAsync(_stopping.Token);
        }
    }

    private async Task EnsureAsync()
    {
        // The eviction check's script answers only once the client is connected, so the cluster check sees the topology.
        await StoreEvictionCheck.EnsureNoEvictionAsync(redis, options.KeyPrefix).ConfigureAwait(false);
        StoreClusterCheck.EnsureKeysShareASlot(redis, options.KeyPrefix);
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(2);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                await EnsureAsync().ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException ex)
            {
                LogRefusedStore(ex.Message);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
                return;
            }
            catch (Exception ex) when (StoreFaults.IsUnreachable(ex))
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_retry is not null)
        {
            await _retry.ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(1, LogLevel.Critical, "Refusing the store: {Reason}")]
    private partial void LogRefusedStore(string reason);
}
