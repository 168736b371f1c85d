using System.CommandLine;
using Experiments.Core.CommandLine;
using Experiments.EarlyStop;

// Subcommands of the early-termination benchmark; bench/early-stop/run calls both.
var root = new RootCommand("Our early-termination rules vs Optuna's pruners on the same seeded learning curves.");
root.Subcommands.Add(CurveFamily.Command());
root.Subcommands.Add(PrunerComparison.Command());
return await CommandLineRunner.RunAsync(root, args);
