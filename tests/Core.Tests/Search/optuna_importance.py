"""Optuna's fANOVA importance of the trials in a JSON file: prints one line per parameter, most important first.

Usage: /usr/bin/python3 optuna_importance.py <trials.json>
The file: {"direction": "maximize", "parameters": [{"name", "kind": "float"|"log"|"int"|"choice", "low", "high",
"choices"}], "trials": [{"params": {...}, "value": v}]}
"""
import json
import sys
import warnings

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")

with open(sys.argv[1]) as f:
    spec = json.load(f)


def distribution(p):
    if p["kind"] == "choice":
        return CategoricalDistribution(p["choices"])
    if p["kind"] == "int":
        return IntDistribution(int(p["low"]), int(p["high"]))
    return FloatDistribution(p["low"], p["high"], log=p["kind"] == "log")


distributions = {p["name"]: distribution(p) for p in spec["parameters"]}
study = optuna.create_study(direction=spec["direction"])
study.add_trials([
    optuna.trial.create_trial(params=t["params"], distributions=distributions, value=t["value"])
    for t in spec["trials"]
])
importances = optuna.importance.get_param_importances(
    study, evaluator=optuna.importance.FanovaImportanceEvaluator(seed=0))
for name, value in importances.items():
    print(f"{name}\t{value}")
