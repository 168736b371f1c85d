"""PyTorch reference for bench/throughput: the same training step (normalise, ResNet-34, CE, backward, Adam).
Usage: reference.py batch steps threads [fp32|bf16]; bf16 runs the forward and loss under CPU autocast (PyTorch's
recipe for mixed precision: bf16 convs and linear, fp32 master weights and loss)."""
import sys
import time

import torch
import torchvision

batch, steps, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
bf16 = len(sys.argv) > 4 and sys.argv[4] == "bf16"
torch.set_num_threads(threads)
torch.manual_seed(0)
model = torchvision.models.resnet34(num_classes=10)
model.train()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
images = torch.randint(0, 256, (batch, 3, 32, 32), dtype=torch.uint8)
labels = torch.randint(0, 10, (batch,))
mean = torch.full((1, 3, 1, 1), 0.5)
std = torch.full((1, 3, 1, 1), 0.25)
adam = 0.0
for step in range(-2, steps):
    if step == 0:
        start = time.perf_counter()
    optimizer.zero_grad()
    x = (images.float() / 255 - mean) / std
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        loss = torch.nn.functional.cross_entropy(model(x), labels)
    loss.backward()
    t = time.perf_counter()
    optimizer.step()
    if step >= 0:
        adam += time.perf_counter() - t
seconds = time.perf_counter() - start
print(f"images_per_second {batch * steps / seconds:.1f} adam_ms {1000 * adam / steps:.1f}")
