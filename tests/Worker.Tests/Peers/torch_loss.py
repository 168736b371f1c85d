"""PyTorch's cross-entropy with label smoothing on given logits and labels.

Usage: /usr/bin/python3 torch_loss.py <input.json>
The file: {"logits": [[...], ...], "labels": [...], "smoothing": [...]}. Prints a JSON list: the mean loss for each
smoothing value.
"""
import json
import sys

import torch
import torch.nn.functional as F

with open(sys.argv[1]) as f:
    spec = json.load(f)

logits = torch.tensor(spec["logits"], dtype=torch.float32)
labels = torch.tensor(spec["labels"], dtype=torch.int64)
print(json.dumps([F.cross_entropy(logits, labels, label_smoothing=s).item() for s in spec["smoothing"]]))
