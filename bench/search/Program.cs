using System.Globalization;
using System.Text.Json;
using Experiments.Core.Search;
using Experiments.SearchBench;

// Usage: probe <seeds>                              -> JSON probe points with our values, and each seed's startup trials
//        importance <trials> <optuna-input.json>    -> times our importance; writes the trials for Optuna's
//        compare <optuna.tsv> <seeds> <evaluations> -> runs ours and random search, prints the report
BenchProblem[] problems = [new Branin(), new Hartmann6(), new SweepSurrogate()];
var culture = CultureInfo.InvariantCulture;

switch (args.FirstOrDefault())
{
    case "probe" when args.Length == 2:
        // Probe points with our values (both sides must compute the same functions), and per seed the startup
        // trials ours draws, which Optuna is given too: a paired comparison, so startup luck cancels out.
        var seedCount = int.Parse(args[1], culture);
        var startup = new TpeSettings().StartupTrials;
        Console.WriteLine(JsonSerializer.Serialize(problems.ToDictionary(
            p => p.Name,
            p => new
            {
                probes = Enumerable.Range(0, 8).Select(i => p.Probe(i)).Select(v => new { values = v, value = p.Evaluate(v) }).ToArray(),
                startup = Enumerable.Range(0, seedCount)
                    .Select(seed => Enumerable.Range(0, startup).Select(k => TpeSampler.StartupSample(SearchSpace.Of(p.Parameters), (ulong)seed, k)).ToArray())
                    .ToArray(),
            })));
        return 0;
    case "importance" when args.Length == 3:
        return ImportanceTiming.Run(int.Parse(args[1], culture), args[2]);
    case "compare" when args.Length == 4:
        return Compare(args[1], int.Parse(args[2], culture), int.Parse(args[3], culture));
    default:
        Console.Error.WriteLine("usage: probe <seeds> | importance <trials> <optuna-input.json> | compare <optuna.tsv> <seeds> <evaluations>; see bench/search/run");
        return 2;
}

int Compare(string optunaFile, int seeds, int evaluations)
{
    // results[(problem, searcher)] = one best-so-far regret curve per seed
    var results = new Dictionary<(string Problem, string Searcher), List<double[]>>();
    void Add(string problem, string searcher, double[] curve)
    {
        if (!results.TryGetValue((problem, searcher), out var list))
        {
            results[(problem, searcher)] = list = [];
        }

        list.Add(curve);
    }

    foreach (var line in File.ReadLines(optunaFile))
    {
        // problem <tab> searcher <tab> seed <tab> regret after each evaluation, comma-separated
        var fields = line.Split('\t');
        Add(fields[0], fields[1], [.. fields[3].Split(',').Select(v => double.Parse(v, culture))]);
    }

    var tpeTime = System.Diagnostics.Stopwatch.StartNew();
    foreach (var problem in problems)
    {
        for (var seed = 0; seed < seeds; seed++)
        {
            Add(problem.Name, "ours", SearchRuns.Tpe(problem, (ulong)seed, evaluations, new TpeSettings()));
        }
    }

    tpeTime.Stop();
    foreach (var problem in problems)
    {
        for (var seed = 0; seed < seeds; seed++)
        {
            // Ours in Optuna's own configuration (its wider, clipped joint kernel): level with Optuna up to noise,
            // which shows what ours' default bandwidth changes and what the seeds alone move.
            Add(problem.Name, "ours-optuna31", SearchRuns.Tpe(problem, (ulong)seed, evaluations, TpeSettings.Optuna31));
        }
    }

    foreach (var problem in problems)
    {
        for (var seed = 0; seed < seeds; seed++)
        {
            Add(problem.Name, "random", SearchRuns.Random(problem, (ulong)seed, evaluations));
        }
    }

    string[] searchers = ["ours", "ours-optuna31", "optuna", .. results.ContainsKey((problems[0].Name, "optuna-default")) ? new[] { "optuna-default" } : [], "random"];
    int[] checkpoints = [.. new[] { 20, 40, 60 }.Where(c => c <= evaluations).Append(evaluations).Distinct()];
    Console.WriteLine($"median best-so-far regret over {seeds} seeds ({evaluations} evaluations each; ours TPE took {tpeTime.Elapsed.TotalSeconds:F1} s in all)");
    Console.WriteLine($"{"problem",-16} {"evals",5} {string.Join(" ", searchers.Select(s => $"{s,14}"))}");
    foreach (var problem in problems)
    {
        foreach (var at in checkpoints)
        {
            var cells = searchers.Select(s => results.TryGetValue((problem.Name, s), out var runs)
                ? Median(runs.Select(r => r[at - 1])).ToString("G4", culture)
                : "-");
            Console.WriteLine($"{problem.Name,-16} {at,5} {string.Join(" ", cells.Select(c => $"{c,14}"))}");
        }
    }

    // Per problem, the ratio of median final regrets; the figure is the median of those ratios over the problems.
    double FinalMedian(string problem, string searcher) => Median(results[(problem, searcher)].Select(r => r[evaluations - 1]));
    var versusOptuna = problems.Select(p => FinalMedian(p.Name, "ours") / FinalMedian(p.Name, "optuna")).ToArray();
    var versusRandom = problems.Select(p => FinalMedian(p.Name, "ours") / FinalMedian(p.Name, "random")).ToArray();
    var optuna31VersusOptuna = problems.Select(p => FinalMedian(p.Name, "ours-optuna31") / FinalMedian(p.Name, "optuna")).ToArray();
    for (var i = 0; i < problems.Length; i++)
    {
        Console.WriteLine($"{problems[i].Name}: final regret ratio ours/optuna {versusOptuna[i]:F3}, ours/random {versusRandom[i]:F3} (ours-optuna31/optuna {optuna31VersusOptuna[i]:F3})");
    }

    Console.WriteLine("ratio = median over the problems of (median over seeds of our final regret) / (the same for the other searcher);");
    Console.WriteLine("'optuna' is TPESampler(multivariate=True, seed=s), the configuration ours follows except for a narrower joint kernel (TpeSettings.BandwidthMagnitude);");
    Console.WriteLine("'ours-optuna31' is ours with Optuna's kernel too (TpeSettings.Optuna31); 'optuna-default' (if run) is TPESampler(seed=s);");
    Console.WriteLine("per seed, every searcher starts from the same startup trials (ours', given to Optuna as enqueued trials)");
    Console.WriteLine($"ratio regret ours/optuna: {Median(versusOptuna).ToString("F3", culture)}; ours/random: {Median(versusRandom).ToString("F3", culture)}");
    return 0;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    var middle = sorted.Length / 2;
    return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
