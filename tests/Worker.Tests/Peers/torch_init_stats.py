"""Per-layer statistics of a fresh ResNet-34 as PyTorch initialises it, for given shapes.

Usage: /usr/bin/python3 torch_init_stats.py <init> <stem> <in_channels> <classes> [<init> <stem> ...]
init: "pytorch" (every layer's own reset_parameters: PyTorch's defaults) or "torchvision" (torchvision's resnet init);
stem: "imagenet" (torchvision's) or "cifar" (3x3 stride-1 conv1, no max-pool). Prints a JSON list, one object per case:
state-dict name -> [numel, mean, std, min, max, bound], bound being PyTorch's 1/sqrt(fan_in) for a layer's bias (else 0).
"""
import json
import sys

import torch
import torch.nn as nn
import torchvision

torch.manual_seed(0)
cases = []
args = sys.argv[1:]
for i in range(0, len(args), 4):
    init, stem, channels, classes = args[i], args[i + 1], int(args[i + 2]), int(args[i + 3])
    model = torchvision.models.resnet34(num_classes=classes)
    if stem == "cifar":
        model.conv1 = nn.Conv2d(channels, 64, kernel_size=3, stride=1, padding=1, bias=False)
        model.maxpool = nn.Identity()
    elif channels != 3:
        model.conv1 = nn.Conv2d(channels, 64, kernel_size=7, stride=2, padding=3, bias=False)
    for m in model.modules():
        if init == "pytorch":
            if isinstance(m, (nn.Conv2d, nn.Linear, nn.BatchNorm2d)):
                m.reset_parameters()
        else:  # torchvision/models/resnet.py's loop, applied again so a replaced conv1 gets it too
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
    bounds = {}
    for prefix, m in model.named_modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None:
            fan_in, _ = nn.init._calculate_fan_in_and_fan_out(m.weight)
            bounds[prefix + ".bias"] = 1 / fan_in ** 0.5
    stats = {}
    for name, t in model.state_dict().items():
        t = t.double()
        std = t.std(unbiased=False).item() if t.numel() > 1 else 0.0
        stats[name] = [t.numel(), t.mean().item(), std, t.min().item(), t.max().item(), bounds.get(name, 0.0)]
    cases.append(stats)
print(json.dumps(cases))
