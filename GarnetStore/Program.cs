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
        Console.WriteLine($"Garnet store listening on 127.0.0.1:{arguments.Port}, data in {arguments.DataDirectory}");
        Console.WriteLine($"Store version after recovery {fence.VersionAfterRecovery}, highest in the AOF {fence.HighestAofVersion}: continuing at {fence.ContinuedVersion}");
        await shutdown.Stopped;
    }

    return 0;
}
