using Experiments.Throughput;

return args.FirstOrDefault() switch
{
    "throughput" => TrainingThroughput.Run(args[1..]),
    "pipeline" => PipelineOverhead.Run(args[1..]),
    "parity-export" => ParityExport.Run(args[1..]),
    "accuracy" => await RecipeAccuracy.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: (throughput|pipeline|parity-export|accuracy) [options]; see bench/*/run");
    return 2;
}
