using Experiments.Worker;
using Experiments.Worker.Training;

if (args is ["train", ..])
{
    // A single run without the queue: same trainer, progress on the console.
    return await TrainCommand.RunAsync(args[1..], CancellationToken.None);
}

var builder = Host.CreateApplicationBuilder(args);
builder.AddWorker();
builder.Build().Run();
return 0;
