using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>The embedded store as the AppHost runs it: the GarnetStore process on a loopback port, with a password.</summary>
internal sealed class StoreProcess : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string _logDirectory;
    private ChildProcess? _process;

    public StoreProcess(string workDirectory)
    {
        _dataDirectory = Path.Combine(workDirectory, "garnet");
        _logDirectory = workDirectory;
        Port = FreePort();
    }

    public int Port { get; }

    public string Password { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string ConnectionString => $"127.0.0.1:{Port},password={Password}";

    public async Task StartAsync()
    {
        _process = ChildProcess.Start(
            BuiltAssemblies.GarnetStore,
            new Dictionary<string, string>
            {
                ["STORE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["STORE_PASSWORD"] = Password,
                ["STORE_DATA_DIR"] = _dataDirectory,
            },
            Path.Combine(_logDirectory, "store.log"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(250);
            }
        }
    }

    public void KillHard() => _process?.KillHard();

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
