"""Optuna's side of bench/search: the same problems as Problems.cs, searched by Debian's python3-optuna.

Usage: optuna_search.py <probe.json> <first seed> <end seed> <evaluations> [--with-default]
Checks first that every problem gives our values at our probe points (so both sides optimise the same
functions), then prints one line per (problem, searcher, seed): problem, searcher, seed, and the best-so-far
regret after each evaluation, comma-separated. Each seed's first trials are the startup trials ours drew for that
seed (enqueued), so ours and Optuna differ only from the first model-based proposal on: a paired comparison.
"""
import json
import math
import sys
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


def branin(x1, x2):
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
     [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(*x):
    total = 0.0
    for i in range(4):
        inner = 0.0
        for j in range(6):
            d = x[j] - P[i][j]
            inner += A[i][j] * d * d
        total += ALPHA[i] * math.exp(-inner)
    return -total


OPTIMIZERS = ["adam", "adamw", "sgd"]
SCHEDULERS = ["none", "step", "cosine"]
SHAPE = [[0.905, -3.0, 0.8, -5.0, 1.2], [0.915, -2.8, 0.9, -3.0, 1.0], [0.925, -1.3, 0.6, -3.5, 0.8]]
SCHEDULER_GAIN = [0.0, 0.01, 0.02]


def surrogate(lr, weight_decay, optimizer, scheduler):
    o, s = OPTIMIZERS.index(optimizer), SCHEDULERS.index(scheduler)
    lr, wd = math.log10(lr), math.log10(weight_decay)
    d_lr = (lr - SHAPE[o][1]) / SHAPE[o][2]
    d_wd = (wd - SHAPE[o][3] + 0.5 * (lr - SHAPE[o][1])) / SHAPE[o][4]
    peak = SHAPE[o][0] + SCHEDULER_GAIN[s]
    return 0.10 + (peak - 0.10) * math.exp(-0.5 * (d_lr * d_lr + d_wd * d_wd))


# name: (function, suggest(trial) -> args, direction, optimum)
PROBLEMS = {
    "branin": (branin, lambda t: [t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)],
               "minimize", 0.397887357729738),
    "hartmann6": (hartmann6, lambda t: [t.suggest_float(f"x{i}", 0, 1) for i in range(1, 7)],
                  "minimize", -3.32236801141551),
    "sweep-surrogate": (surrogate, lambda t: [t.suggest_float("lr", 1e-5, 1e-1, log=True),
                                             t.suggest_float("weight_decay", 1e-6, 1e-2, log=True),
                                             t.suggest_categorical("optimizer", OPTIMIZERS),
                                             t.suggest_categorical("scheduler", SCHEDULERS)],
                        "maximize", 0.945),
}

# Parameter names in the order of Problems.cs (the startup trials come as value lists in that order).
NAMES = {
    "branin": ["x1", "x2"],
    "hartmann6": [f"x{i}" for i in range(1, 7)],
    "sweep-surrogate": ["lr", "weight_decay", "optimizer", "scheduler"],
}

SEARCHERS = {
    "optuna": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True),
    "optuna-default": lambda seed: optuna.samplers.TPESampler(seed=seed),
}


def check_probe(probes):
    for name, problem in probes.items():
        function = PROBLEMS[name][0]
        for point in problem["probes"]:
            theirs = function(*point["values"])
            if abs(theirs - point["value"]) > 1e-9 * max(1.0, abs(theirs)):
                sys.exit(f"{name}: Python gives {theirs} at {point['values']}, C# gives {point['value']}: the problems differ")


def main():
    with open(sys.argv[1]) as f:
        probes = json.load(f)
    check_probe(probes)
    first, end, evaluations = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    searchers = SEARCHERS if "--with-default" in sys.argv else {"optuna": SEARCHERS["optuna"]}
    for name, (function, suggest, direction, optimum) in PROBLEMS.items():
        for searcher, make in searchers.items():
            for seed in range(first, end):
                study = optuna.create_study(direction=direction, sampler=make(seed))
                for values in probes[name]["startup"][seed]:
                    study.enqueue_trial(dict(zip(NAMES[name], values)))
                study.optimize(lambda t: function(*suggest(t)), n_trials=evaluations)
                best, curve = math.inf, []
                for trial in study.trials:
                    regret = trial.value - optimum if direction == "minimize" else optimum - trial.value
                    best = min(best, regret)
                    curve.append(repr(best))
                print(f"{name}\t{searcher}\t{seed}\t{','.join(curve)}", flush=True)


if __name__ == "__main__":
    main()
