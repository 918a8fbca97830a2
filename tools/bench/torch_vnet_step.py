#!/usr/bin/python3
"""PyTorch's side of `./vnet bench`: the same 2D V-Net (MONAI layout, tools/fixtures/torch_vnet.py), the same
batch and loss, timed the same way, printed as JSON with the same keys.

    /usr/bin/python3 tools/bench/torch_vnet_step.py [--threads 2] [--batch 4] [--size 256] [--repeats 5] [--warmup 2]

A training step is: zero the gradients, forward in training mode, Dice (sigmoid, smoothing 1) + BCE on logits,
backward, Adam (lr 1e-4). An inference batch is a forward in evaluation mode under no_grad. Times are medians
of --repeats runs after --warmup runs, in wall-clock time (*_ms) and CPU time of the process (*_cpu_ms);
`peak_rss_mb` is the process's peak resident memory (ru_maxrss).
"""
import argparse
import ctypes
import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from torch_vnet import VNet2d  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import machine, require_optimised_blas  # noqa: E402

require_optimised_blas(os.path.basename(__file__))


def openblas_core():
    """The kernels of the OpenBLAS this PyTorch calls for its BLAS products (transposed convolutions among them)."""
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return None


def dice_bce(logits, target, smoothing=1.0):
    p = torch.sigmoid(logits)
    dice = 1 - (2 * (p * target).sum() + smoothing) / (p.sum() + target.sum() + smoothing)
    return dice + F.binary_cross_entropy_with_logits(logits, target)


def discs(batch, size):
    """The target of dev.vnet.train.bench.RandomBatchStep: one disc of radius size/6 per image."""
    m = torch.zeros(batch, 1, size, size)
    yy, xx = torch.meshgrid(torch.arange(size, dtype=torch.float32), torch.arange(size, dtype=torch.float32),
                            indexing="ij")
    for i in range(batch):
        cy, cx = size * (0.3 + (0.1 * i) % 0.5), size * 0.5
        m[i, 0] = (((yy - cy) ** 2 + (xx - cx) ** 2) <= size * size / 36).float()
    return m


def timed(label, fn, warmup, repeats):
    for i in range(warmup):
        fn()
        print(f"torch bench: {label}, warm-up {i + 1}/{warmup}", file=sys.stderr)
    runs, cpu = [], []
    for i in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        runs.append(round((time.perf_counter() - t0) * 1e3, 2))
        cpu.append(round((time.process_time() - c0) * 1e3, 2))
        print(f"torch bench: {label}, run {i + 1}/{repeats}: {runs[-1]:.1f} ms (CPU {cpu[-1]:.1f} ms)", file=sys.stderr)
    return runs, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--in-channels", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--no-step", action="store_true", help="skip the training step (inference only)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    model = VNet2d(args.in_channels, 1, "relu", 16)
    adam = torch.optim.Adam(model.parameters(), lr=1e-4)
    x = torch.rand(args.batch, args.in_channels, args.size, args.size)
    target = discs(args.batch, args.size)

    def train():
        model.train()
        adam.zero_grad()
        loss = dice_bce(model(x), target)
        loss.backward()
        adam.step()
        return loss.item()

    def infer():
        model.eval()
        with torch.no_grad():
            return model(x)

    out = {"threads": torch.get_num_threads(), "batch": args.batch, "size": args.size,
           "in_channels": args.in_channels, "repeats": args.repeats, "torch": torch.__version__,
           "parameters": sum(p.numel() for p in model.parameters()), **machine()}
    if not args.no_step:
        runs, cpu = timed("training step", train, args.warmup, args.repeats)
        out["train_step_ms"] = statistics.median(runs)
        out["train_step_cpu_ms"] = statistics.median(cpu)
        out["train_step_ms_runs"] = runs
    runs, cpu = timed("inference batch", infer, args.warmup, args.repeats)
    out["infer_ms"] = statistics.median(runs)
    out["infer_cpu_ms"] = statistics.median(cpu)
    out["infer_ms_runs"] = runs
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    out["openblas_coretype"] = openblas_core()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
