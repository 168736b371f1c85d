using Experiments.EarlyStop;

return args.FirstOrDefault() switch
{
    "curves" => CurveFamily.Run(args[1..]),
    "compare" => PrunerComparison.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: curves --out FILE [--sweeps N --trials T --epochs E --seed S] | compare --curves FILE [--workers W --python PATH]; see bench/early-stop/run");
    return 2;
}
