"""scikit-learn's precision, recall and F1 for given confusion matrices (rows = true class, columns = predicted).

Usage: /usr/bin/python3 sklearn_report.py <input.json>
The file: [[[count, ...], ...], ...]. Prints one JSON object per matrix: per-class precision/recall/f1/support over
every label, and the macro averages as scikit-learn computes them by default (over the labels that occur).
"""
import json
import sys
import warnings

import numpy as np
from sklearn.metrics import accuracy_score, precision_recall_fscore_support

warnings.filterwarnings("ignore")

with open(sys.argv[1]) as f:
    matrices = json.load(f)

out = []
for matrix in matrices:
    k = len(matrix)
    y_true, y_pred = [], []
    for t in range(k):
        for p in range(k):
            y_true += [t] * matrix[t][p]
            y_pred += [p] * matrix[t][p]
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, labels=list(range(k)), zero_division=0)
    macro = precision_recall_fscore_support(y_true, y_pred, average="macro", zero_division=0)
    out.append({
        "precision": precision.tolist(), "recall": recall.tolist(), "f1": f1.tolist(), "support": support.tolist(),
        "macro_precision": macro[0], "macro_recall": macro[1], "macro_f1": macro[2],
        "accuracy": accuracy_score(y_true, y_pred),
    })
print(json.dumps(out))
