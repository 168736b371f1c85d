using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Experiments.Tests.Shared;
using StackExchange.Redis;

namespace Experiments.Core.Tests.Fixtures;

/// <summary>
/// A real store server run as a child process on a free port (on loopback unless a test gives another address), with a password and its own data folder.
/// It can be killed with SIGKILL and restarted on the same data, to prove durability.
/// </summary>
public abstract class StoreServer : IAsyncLifetime, IAsyncDisposable
{
    public const string RequireExternalsVariable = "EXPERIMENTS_REQUIRE_EXTERNALS";

    private readonly StringBuilder output = new();
    private Process? process;
    private ConnectionMultiplexer? connection;

    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N");

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("experiments-store-").FullName;

    public int Port { get; private set; }

    /// <summary>The address the server listens on and is reached at: loopback unless a test gives another.</summary>
    public IPAddress Address { get; protected init; } = IPAddress.Loopback;

    /// <summary>What a service is given as <c>ConnectionStrings__store</c> to reach this server.</summary>
    public string ConnectionString => $"{Address}:{Port},password={Password}";

    /// <summary>Why this server cannot run here (its binary is missing), or null; tests skip with it.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>A connection shared by the tests of one class (each test uses its own key prefix).</summary>
    public IConnectionMultiplexer Connection => connection ?? throw new InvalidOperationException("The server is not started.");

    public abstract string Name { get; }

    public async Task InitializeAsync()
    {
        UnavailableReason = FindUnavailableReason();
        if (UnavailableReason is not null)
        {
            if (Environment.GetEnvironmentVariable(RequireExternalsVariable) == "1")
            {
                throw new InvalidOperationException($"{UnavailableReason} ({RequireExternalsVariable}=1 makes this a failure).");
            }

            return;
        }

        Port = LoopbackPorts.Free(Address);
        await StartAsync();
        connection = await ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        Kill();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS temp cleaner.
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A new connection (not shared); reconnects by itself after a restart.</summary>
    /// <param name="timeoutMilliseconds">
    /// How long a command may wait: by default a ceiling for a hung server, not a slow one (a 2,000-trial submit took
    /// over 10 s on a loaded two-core machine); tests of a killed server pass a short one.
    /// </param>
    /// <param name="allowAdmin">Allows server commands such as SAVE.</param>
    public Task<ConnectionMultiplexer> ConnectAsync(int timeoutMilliseconds = 120_000, bool allowAdmin = false) => ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
    {
        EndPoints = { { Address, Port } },
        Password = Password,
        AllowAdmin = allowAdmin,
        AbortOnConnectFail = false,
        ConnectTimeout = 2000,
        SyncTimeout = timeoutMilliseconds,
        AsyncTimeout = timeoutMilliseconds,
    });

    /// <summary>kill -9: no shutdown, no flush.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>SIGSTOP: the server keeps its connections but answers nothing until <see cref="Resume"/>: a slow or hung store.</summary>
    public void Pause() => Signal("-STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("-CONT");

    /// <summary>Kills the server if it runs and starts it again on the same port and data folder.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await StartAsync();
    }

    protected abstract string? FindUnavailableReason();

    private void Signal(string signal)
    {
        var target = process ?? throw new InvalidOperationException("The server is not running.");
        using var kill = Process.Start("kill", [signal, target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {target.Id} exited with {kill.ExitCode}.");
        }
    }

    protected abstract ProcessStartInfo CreateStartInfo();

    private async Task StartAsync()
    {
        var startInfo = CreateStartInfo();
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        var started = new Process { StartInfo = startInfo };
        started.OutputDataReceived += (_, e) => Append(e.Data);
        started.ErrorDataReceived += (_, e) => Append(e.Data);
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;
        await WaitUntilReadyAsync(started);
        await AfterStartAsync();
    }

    /// <summary>More to wait for once the server answers PING on <see cref="Port"/> (e.g. a cluster to form).</summary>
    protected virtual Task AfterStartAsync() => Task.CompletedTask;

    private async Task WaitUntilReadyAsync(Process started)
    {
        try
        {
            await Eventually.UntilAsync(
                async () => started.HasExited
                    ? throw new InvalidOperationException($"{Name} exited with code {started.ExitCode} on start:\n{Output}")
                    : await AnswersPingAsync(),
                $"{Name} to answer PING",
                interval: TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Output}", e);
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(Address, Port);
            var stream = client.GetStream();
            var command = Encoding.ASCII.GetBytes($"*2\r\n$4\r\nAUTH\r\n${Password.Length}\r\n{Password}\r\n*1\r\n$4\r\nPING\r\n");
            await stream.WriteAsync(command);
            var buffer = new byte[64];
            var received = new StringBuilder();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            while (!received.ToString().Contains("PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return false;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < 100_000)
            {
                output.AppendLine(line);
            }
        }
    }
}
