#!/usr/bin/python3
"""Optuna's pruners for bench/early-stop/run, driven line by line from stdin.

Reads the same curves file as our side and looks every value up itself; the C# simulator only says which trial
reported which epoch. Each trial is run as Optuna's documented loop does it: trial.report(value, step=epoch) after
every epoch, then trial.should_prune(); a pruned trial is told PRUNED, a trial that reached its last epoch is told
COMPLETE with its last value. Commands: version | sweep <n> <rule> | start <trial> | report <trial> <epoch> | quit.
"""
import sys
import warnings

import optuna
from optuna.trial import TrialState


def make_pruner(rule, s):
    if rule == "asha":
        return optuna.pruners.SuccessiveHalvingPruner(
            min_resource=s["min_epochs"], reduction_factor=s["reduction_factor"],
            min_early_stopping_rate=0, bootstrap_count=0)
    if rule == "hyperband":
        return optuna.pruners.HyperbandPruner(
            min_resource=s["min_epochs"], max_resource=s["max_epochs"], reduction_factor=s["reduction_factor"])
    if rule == "median":
        # Our warmup_epochs w leaves epochs 1..w unchecked; Optuna skips steps < n_warmup_steps, and steps are epochs.
        return optuna.pruners.MedianPruner(
            n_startup_trials=s["startup_trials"], n_warmup_steps=s["warmup_epochs"] + 1, interval_steps=1)
    raise ValueError(f"unknown rule {rule}")


def main():
    curves_path, settings = sys.argv[1], sys.argv[2]
    s = {k: int(v) for k, v in (kv.split("=") for kv in settings.split(","))}
    curves = {}
    with open(curves_path) as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split(",")
            curves[(int(fields[0]), int(fields[1]))] = [float(x) for x in fields[4:]]

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.simplefilter("ignore")
    study, trials, sweep = None, {}, None
    for line in sys.stdin:
        cmd = line.split()
        if cmd[0] == "version":
            print(optuna.__version__, flush=True)
        elif cmd[0] == "sweep":
            sweep = int(cmd[1])
            study = optuna.create_study(
                study_name=f"sweep-{sweep}", direction="maximize", pruner=make_pruner(cmd[2], s),
                sampler=optuna.samplers.RandomSampler(seed=0))
            trials = {}
        elif cmd[0] == "start":
            trial = study.ask()
            assert trial.number == int(cmd[1]), (trial.number, cmd)
            trials[trial.number] = trial
        elif cmd[0] == "report":
            index, epoch = int(cmd[1]), int(cmd[2])
            values, trial = curves[(sweep, index)], trials[index]
            trial.report(values[epoch - 1], epoch)
            if trial.should_prune():
                study.tell(trial, state=TrialState.PRUNED)
                print("prune", flush=True)
            else:
                if epoch == len(values):
                    study.tell(trial, values[-1])
                print("continue", flush=True)
        elif cmd[0] == "quit":
            return


if __name__ == "__main__":
    main()
