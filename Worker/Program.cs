using Experiments.Worker;
using Experiments.Worker.Hosting.TrialProcess;
using Experiments.Worker.Training;

if (args is ["train", ..])
{
    // A single run without the queue: same trainer, progress on the console.
    return await TrainCommand.RunAsync(args[1..], CancellationToken.None);
}

if (args is [TrialProcessChild.Command])
{
    // One attempt for the worker that started this process (Worker:TrialProcess child); it talks on stdin/stdout.
    return await TrialProcessChild.RunAsync();
}

var builder = Host.CreateApplicationBuilder(args);
builder.AddWorker();
builder.Build().Run();
return 0;
