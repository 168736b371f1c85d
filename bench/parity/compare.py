"""Loads our exported weights into torchvision's ResNet-34 and diffs logits and one step's gradients."""
import sys

import torch
import torchvision

folder, threads, stem = sys.argv[1], int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(threads)
ours = torch.load(f"{folder}/ours.pt")
model = torchvision.models.resnet34(num_classes=10)
if stem == "cifar":
    model.conv1 = torch.nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    model.maxpool = torch.nn.Identity()
model.load_state_dict(torch.load(f"{folder}/weights.pt"))
model.train()
logits = model(ours["input"])
loss = torch.nn.functional.cross_entropy(logits, ours["labels"])
loss.backward()

logit_diff = (logits - ours["logits"]).abs().max().item()
grad_diff, worst = 0.0, ""
for name, p in model.named_parameters():
    d = (p.grad - ours["grad." + name]).abs().max().item()
    if d > grad_diff:
        grad_diff, worst = d, name
grad_scale = max(ours["grad." + n].abs().max().item() for n, _ in model.named_parameters())
print(f"logits: max |diff| {logit_diff:.3e} (max |logit| {logits.abs().max().item():.3f})")
print(f"loss: ours {ours['loss'].item():.6f} pytorch {loss.item():.6f}")
print(f"gradients: max |diff| {grad_diff:.3e} at {worst} (max |grad| {grad_scale:.3e}, relative {grad_diff / grad_scale:.2e})")
