using Experiments.GarnetStore;
using Garnet;

GarnetArguments arguments;
try
{
    arguments = GarnetArguments.Parse(args, Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
}
catch (StoreConfigurationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

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
