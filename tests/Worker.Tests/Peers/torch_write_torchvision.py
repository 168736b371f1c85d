"""Writes torchvision's ResNet-34 state dict (1000-class head) with torch.save, as a user's downloaded weights are.

Usage: /usr/bin/python3 torch_write_torchvision.py <out.pt>
No download: a seeded resnet34() with the pretrained file's exact keys and shapes, its BatchNorm statistics moved off
their initial values by a few training-mode passes. Prints JSON: name -> [float64 sum, float64 sum of squares].
"""
import json
import sys

import torch
import torchvision

torch.manual_seed(3)
model = torchvision.models.resnet34()
model.train()
with torch.no_grad():
    for _ in range(2):
        model(torch.randn(4, 3, 32, 32) * 2 + 0.5)
state = model.state_dict()
torch.save(state, sys.argv[1])
print(json.dumps({k: [v.double().sum().item(), v.double().pow(2).sum().item()] for k, v in state.items()}))
