using Experiments.Core.CommandLine;
using Experiments.GarnetStore;
using Garnet;

var command = GarnetArguments.CreateCommand(Environment.GetEnvironmentVariable, Environment.CurrentDirectory, ServeAsync);
// ShutdownSignal stops the server in order on SIGINT/SIGTERM; the command line must not cut that short.
return await CommandLineRunner.RunAsync(command, args, cancelOnTermination: false);

static async Task<int> ServeAsync(GarnetArguments arguments, CancellationToken _)
{
    Directory.CreateDirectory(arguments.LogDirectory);
    Directory.CreateDirectory(arguments.CheckpointDirectory);

    using var shutdown = new ShutdownSignal();
    using (var server = new GarnetServer(arguments.ToGarnetArgs()))
    {
        server.Start();
        Console.WriteLine($"Garnet store listening on 127.0.0.1:{arguments.Port}, data in {arguments.DataDirectory}");
        await shutdown.Stopped;
    }

    return 0;
}
