using System.CommandLine;
using Experiments.Core.CommandLine;
using Experiments.Throughput;

// Subcommands of the training benchmarks; the bench/*/run scripts call them and print the ratios.
var root = new RootCommand("Training benchmarks: see bench/throughput, bench/pipeline, bench/parity and bench/accuracy.");
root.Subcommands.Add(TrainingThroughput.Command());
root.Subcommands.Add(PipelineOverhead.Command());
root.Subcommands.Add(ParityExport.Command());
root.Subcommands.Add(RecipeAccuracy.Command());
root.Subcommands.Add(StepProfile.Command());
root.Subcommands.Add(ComputeVariants.Command());
return await CommandLineRunner.RunAsync(root, args);
