using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>
/// Runs <see cref="StoreEvictionCheck"/> when a service starts: an evicting store stops the start with the reason.
/// A store that does not answer yet is checked again in the background (services keep running through outages),
/// and the service stops once it answers with an evicting policy.
/// </summary>
internal sealed partial class StoreEvictionGuard(IConnectionMultiplexer redis, IHostApplicationLifetime lifetime, ILogger<StoreEvictionGuard> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _retry;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StoreEvictionCheck.EnsureNoEvictionAsync(redis).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreFaults.IsUnreachable(ex) || ex is TimeoutException)
        {
            _retry = RetryAsync(_stopping.Token);
        }
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(2);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                await StoreEvictionCheck.EnsureNoEvictionAsync(redis).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException ex)
            {
                LogEvictingStore(ex.Message);
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
    private partial void LogEvictingStore(string reason);
}
