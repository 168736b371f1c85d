"""Loads our exported state dict into torchvision's resnet34 and runs it on our input.

Usage: /usr/bin/python3 torch_load_export.py <model.pt> <io.pt> <stem> <in_channels> <classes>
model.pt: the export; io.pt: {"input": images, "logits": our logits in eval mode}. stem "cifar" swaps conv1 for a 3x3
stride-1 conv and the max-pool for Identity (the documented layout); in_channels != 3 swaps conv1's input channels.
load_state_dict runs with strict=True (every key, no extra). Prints JSON: the largest absolute logit difference and
the number of entries.
"""
import json
import sys

import torch
import torch.nn as nn
import torchvision

torch.set_num_threads(2)
model_path, io_path, stem, channels, classes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
state = torch.load(model_path)
model = torchvision.models.resnet34(num_classes=classes)
if stem == "cifar":
    model.conv1 = nn.Conv2d(channels, 64, kernel_size=3, stride=1, padding=1, bias=False)
    model.maxpool = nn.Identity()
elif channels != 3:
    model.conv1 = nn.Conv2d(channels, 64, kernel_size=7, stride=2, padding=3, bias=False)
model.load_state_dict(state, strict=True)
model.eval()
io = torch.load(io_path)
with torch.no_grad():
    logits = model(io["input"])
print(json.dumps({"max_diff": (logits - io["logits"]).abs().max().item(), "entries": len(state),
                  "tracked": int(state["bn1.num_batches_tracked"])}))
