using Experiments.Core.CommandLine;
using Experiments.GarnetStore;

var command = GarnetArguments.CreateCommand(Environment.GetEnvironmentVariable, Environment.CurrentDirectory, ServeAsync);
// ShutdownSignal stops the server in order on SIGINT/SIGTERM; the command line must not cut that short.
return await CommandLineRunner.RunAsync(command, args, cancelOnTermination: false);

static async Task<int> ServeAsync(GarnetArguments arguments, CancellationToken _)
{
    Directory.CreateDirectory(arguments.LogDirectory);
    Directory.CreateDirectory(arguments.CheckpointDirectory);

    using var shutdown = new ShutdownSignal();
    using (var server = new FencedGarnetServer(arguments.ToGarnetArgs()))
    {
        var fence = await server.StartAsync();
        Console.WriteLine($"Garnet store listening on {arguments.BindAddress}:{arguments.Port}, data in {arguments.DataDirectory}");
        if (arguments.ListensBeyondLoopback)
        {
            // Said once at start, where whoever runs the store reads it: the port is open to the network.
            Console.WriteLine($"The store is reachable from other machines on {arguments.BindAddress}:{arguments.Port}: anyone who has the password can read and change every sweep, trial and record; keep the port behind a firewall or private network.");
        }

        Console.WriteLine($"Store version after recovery {fence.VersionAfterRecovery}, highest in the AOF {fence.HighestAofVersion}: continuing at {fence.ContinuedVersion}");
        await shutdown.Stopped;
    }

    return 0;
}
