#!/usr/bin/python3
"""PyTorch's conv2d on the V-Net layer shapes of vnet-bench's ConvBenchmark: median ms and GFLOP/s.

Run with the operating system's PyTorch (1.13, oneDNN):
    /usr/bin/python3 tools/bench/torch_conv.py [--threads 2] [--repeats 15] [--json torch.json] [--cpu]
With --cpu (one thread only) every time is the CPU time of the calling thread, which other jobs on the machine
disturb much less than the wall-clock time; compare it with
    java --add-modules jdk.incubator.vector -cp vnet-bench/target/benchmarks.jar dev.vnet.bench.ConvQuickTiming PASS 5 cpu
The JSON file (median ms per "pass/shape") can be handed to
    java -cp vnet-bench/target/benchmarks.jar dev.vnet.bench.ConvReport --torch torch.json
to put PyTorch in the same table. Shapes and FLOP counts are those of dev.vnet.train.bench.ConvShape, listed by
    java -cp vnet-bench/target/benchmarks.jar dev.vnet.bench.ConvReport --list-shapes
"""
import argparse
import json
import os
import subprocess
import statistics
import time

import torch
import torch.nn.functional as F

from machine import machine, require_optimised_blas

require_optimised_blas(os.path.basename(__file__))

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def layer_shapes(jar):
    """name: (n, c, h, w, k, r, s, stride, pad, transposed), as dev.vnet.train.bench.ConvShape reads them from the
    V-Net's layout (for a transposed layer, the geometry of the convolution it is the gradient of)."""
    out = subprocess.run(["java", "-cp", jar, "dev.vnet.bench.ConvReport", "--list-shapes"], check=True,
                         capture_output=True, text=True).stdout
    return {name: tuple(v) for name, v in json.loads(out).items()}


def flops(n, c, h, w, k, r, s, stride, pad):
    p = (h + 2 * pad - r) // stride + 1
    q = (w + 2 * pad - s) // stride + 1
    return 2.0 * n * k * p * q * c * r * s


def median_ms(fn, repeats, warmup=3, clock=time.perf_counter):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = clock()
        fn()
        times.append((clock() - t0) * 1e3)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--json", help="write median ms per 'pass/shape' to this file")
    ap.add_argument("--forward-only", action="store_true", help="time the forward pass only")
    ap.add_argument("--shapes", help="comma-separated subset of the shape names")
    ap.add_argument("--cpu", action="store_true",
                    help="time the calling thread's CPU time instead of wall-clock time (needs --threads 1)")
    ap.add_argument("--jar", default=os.path.join(REPO, "vnet-bench/target/benchmarks.jar"),
                    help="vnet-bench's jar, which lists the shapes (mvn -pl vnet-bench -am package -DskipTests)")
    args = ap.parse_args()
    if args.cpu and args.threads != 1:
        ap.error(f"--cpu times the calling thread alone, so it needs --threads 1, got --threads {args.threads}")
    clock = time.thread_time if args.cpu else time.perf_counter
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    results = {}
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, batch 4; median ms (GFLOP/s) of "
          f"{'thread CPU' if args.cpu else 'wall-clock'} time")
    print("| shape | forward | backwardInput | backwardWeight | backward (both) |")
    print("|---|---|---|---|---|")
    for name, (n, c, h, w, k, r, s, stride, pad, transposed) in layer_shapes(args.jar).items():
        if args.shapes and name not in args.shapes.split(","):
            continue
        f = flops(n, c, h, w, k, r, s, stride, pad)
        p = (h + 2 * pad - r) // stride + 1
        q = (w + 2 * pad - s) // stride + 1
        if transposed:
            # the layer maps [n, k, p, q] to [n, c, h, w]; conv_transpose2d takes weights [in=k, out=c, r, s]
            x = torch.randn(n, k, p, q, requires_grad=True)
            wt = torch.randn(k, c, r, s, requires_grad=True)
            layer = lambda: F.conv_transpose2d(x, wt, None, stride, pad)
            bias = None
        else:
            x = torch.randn(n, c, h, w, requires_grad=True)
            wt = torch.randn(k, c, r, s, requires_grad=True)
            bias = torch.randn(k, requires_grad=True)
            layer = lambda: F.conv2d(x, wt, bias, stride, pad)
        with torch.no_grad():
            fwd = median_ms(layer, args.repeats, clock=clock)
        results[f"forward/{name}"] = fwd
        if args.forward_only:
            print(f"| {name} | {fwd:.2f} ({f / fwd / 1e6:.0f}) | – | – | – |", flush=True)
            continue
        out = layer()
        grad = torch.randn_like(out)
        inputs_grad = lambda: torch.autograd.grad(out, (x,), grad, retain_graph=True)
        weight_grad = lambda: torch.autograd.grad(out, (wt,) if bias is None else (wt, bias), grad, retain_graph=True)
        all_grad = lambda: torch.autograd.grad(out, (x, wt) if bias is None else (x, wt, bias), grad, retain_graph=True)
        bi = median_ms(inputs_grad, args.repeats, clock=clock)
        bw = median_ms(weight_grad, args.repeats, clock=clock)
        both = median_ms(all_grad, args.repeats, clock=clock)
        results[f"forward/{name}"] = fwd
        results[f"backwardInput/{name}"] = bi
        results[f"backwardWeight/{name}"] = bw
        results[f"backward/{name}"] = both
        cell = lambda ms, fl: f"{ms:.2f} ({fl / ms / 1e6:.0f})"
        print(f"| {name} | {cell(fwd, f)} | {cell(bi, f)} | {cell(bw, f)} | {cell(both, 2 * f)} |", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"machine": machine(), "clock": "thread CPU" if args.cpu else "wall", **results}, fh, indent=1)


if __name__ == "__main__":
    main()
