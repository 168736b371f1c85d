"""Optuna 3.1's own Parzen estimator on given observations: prints its log density at each given point.

Usage: /usr/bin/python3 optuna_parzen.py <input.json>
The file: {"multivariate": bool, "magic_clip": bool, "sigma0_magnitude": float, "dimensions": [{"kind": "float"|"log"|"int"|"choice", "low", "high", "step",
"choices"}], "observations": [[...]], "points": [[...]]} with values as Optuna's internal representation takes them
(numbers as they are, choices as their index). "sigma0_magnitude" replaces Optuna's constant SIGMA0_MAGNITUDE (0.2),
the multivariate bandwidth's share of the range, so that our own bandwidth can be checked against Optuna's formula.
"""
import json
import sys
import warnings

import numpy as np
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe import parzen_estimator
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights

warnings.filterwarnings("ignore")

with open(sys.argv[1]) as f:
    spec = json.load(f)


def distribution(d):
    if d["kind"] == "choice":
        return CategoricalDistribution(d["choices"])
    if d["kind"] == "int":
        return IntDistribution(int(d["low"]), int(d["high"]), step=int(d["step"]))
    return FloatDistribution(d["low"], d["high"], log=d["kind"] == "log")


space = {f"p{i}": distribution(d) for i, d in enumerate(spec["dimensions"])}
parzen_estimator.SIGMA0_MAGNITUDE = spec["sigma0_magnitude"]
parameters = _ParzenEstimatorParameters(True, 1.0, spec["magic_clip"], False, default_weights, spec["multivariate"])
observations = np.asarray(spec["observations"], dtype=float).reshape(-1, len(space))
points = np.asarray(spec["points"], dtype=float)


def column(values, i, name):
    return values[:, i].astype(int) if isinstance(space[name], CategoricalDistribution) else values[:, i]


estimator = _ParzenEstimator({n: column(observations, i, n) for i, n in enumerate(space)}, space, parameters)
for value in estimator.log_pdf({n: column(points, i, n) for i, n in enumerate(space)}):
    print(repr(float(value)))
