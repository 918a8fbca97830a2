#!/usr/bin/python3
"""PyTorch's side of `vnet bench --photograph`: the point detector of the `recommended` preset on one whole
photograph, with the same tiling as dev.vnet.train.detect.TiledInference, timed phase by phase, printed as JSON with
the same keys.

    /usr/bin/python3 tools/bench/torch_tiled.py IMAGE [--model RUN/checkpoints/best.safetensors] [--threads 2]
                                                [--repeats 5] [--warmup 2]

The phases: the resize to the working scale (a blast of 112 px becomes 28 px: a quarter, cv2.INTER_AREA as
WorkingScale), the network's forward passes over the tiles with the sigmoid (the layout of TiledInference: passes of at most
5 x 256^2 pixels; an image that fits, its sides rounded up to a multiple of 16, runs whole with its edge repeated;
otherwise the grid of equal tiles overlapping by at least 32 with the fewest pixels), the rest of the tiling (cutting the tiles, blending their maps by the window that
is 0 on the overlap/4 pixels of each covered side and rises linearly to 1) and the peak decoding (local maxima at
least 0.55 blast diameters apart, at the cell threshold: the checkpoint's, else 0.3). The model is the Java V-Net's layout
(tools/fixtures/torch_vnet.py, base width 16, three input channels with the 1x1 residual projection the Java model
uses when 16 is not a multiple of them); with --model its weights are read from the Java checkpoint, otherwise random
(the time does not depend on them). Times are medians of --repeats runs after --warmup runs, wall clock, and
total_cpu_ms the CPU time of the process (what other jobs on a shared machine disturb least).
"""
import argparse
import json
import os
import statistics
import struct
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import torch_vnet  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import machine, require_optimised_blas  # noqa: E402

require_optimised_blas(os.path.basename(__file__))

TILE, OVERLAP, BATCH, ALIGN = 256, 32, 5, 16
BLAST, TARGET = 112.0, 28.0
SPACING, THRESHOLD = 0.55 * TARGET, 0.3


class ProjectedInput(torch_vnet.InputTransition):
    """The input transition with the Java model's 1x1 projection when the channels do not divide the width."""

    def __init__(self, cin, cout, a):
        super().__init__(cin, cout, a)
        self.residual = nn.Conv2d(cin, cout, 1, bias=False) if cout % cin else None

    def forward(self, x):
        res = self.residual(x) if self.residual is not None else x.repeat(1, self.cout // self.cin, 1, 1)
        return self.act_function(self.conv_block(x) + res)


def safetensors(path):
    """The float32 tensors of a safetensors file by name, and the cell threshold of the run's configuration (the format:
    8-byte header length, JSON header, data)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    config = json.loads(header.get("__metadata__", {}).get("vnet.config", "{}"))
    threshold = (config.get("detection") or {}).get("cellThreshold", THRESHOLD)
    out = {}
    for name, t in header.items():
        if name == "__metadata__" or t["dtype"] != "F32":
            continue
        a, b = t["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=np.float32).reshape(t["shape"]).copy())
    return out, threshold


def side(length, n):
    t = length if n == 1 else -(-(length + (n - 1) * OVERLAP) // n)
    return -(-t // ALIGN) * ALIGN


def counts(length):
    return [1] + [n for n in range(2, length // ALIGN + 2)
                  if side(length, n) < length and side(length, n) >= max(2 * OVERLAP, ALIGN)]


def starts(length, n, t):
    return [0] if n == 1 else [int(round(i * (length - t) / (n - 1))) for i in range(n)]


def layout(w, h):
    """TiledInference.layout: within a pass's budget, the fewest pixels, then the fewest tiles."""
    budget = BATCH * TILE * TILE
    best = None
    for ny in counts(h):
        for nx in counts(w):
            tw, th = side(w, nx), side(h, ny)
            if tw * th <= budget:
                key = (nx * ny * tw * th, nx * ny)
                if best is None or key < best[0]:
                    best = (key, nx, ny)
    _, nx, ny = best
    tw, th = side(w, nx), side(h, ny)
    per_pass = max(1, min(nx * ny, budget // (tw * th)))
    return tw, th, starts(w, nx, tw), starts(h, ny, th), per_pass


def window(length, before, after):
    margin = OVERLAP // 4
    ramp = max(1, OVERLAP // 2 - margin)
    i = np.arange(length, dtype=np.float64)

    def r(d):
        return np.where(d < margin, 0.0, np.minimum(1.0, (d - margin + 1) / ramp))

    a = r(i) if before else np.ones(length)
    b = r(length - 1 - i) if after else np.ones(length)
    return np.minimum(a, b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("image")
    ap.add_argument("--model")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cv2.setNumThreads(args.threads)
    torch_vnet.InputTransition = ProjectedInput
    torch.manual_seed(42)
    model = torch_vnet.VNet2d(3, 1, "relu", 16)
    loaded = None
    threshold = THRESHOLD
    if args.model:
        state, threshold = safetensors(args.model)
        own = model.state_dict()
        matched = {k: v for k, v in state.items() if k in own and own[k].shape == v.shape}
        model.load_state_dict(matched, strict=False)
        loaded = f"{len(matched)} of {len(own)} tensors"
    model.eval()
    bgr = cv2.imread(args.image, cv2.IMREAD_COLOR)
    if bgr is None:
        sys.exit(f"cannot read {args.image}")
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    h0, w0 = rgb.shape[:2]
    w, h = max(1, round(w0 * TARGET / BLAST)), max(1, round(h0 * TARGET / BLAST))
    tw, th, xs, ys, per_pass = layout(w, h)
    tiles = [(tx, ty) for ty in ys for tx in xs]

    def detect():
        t = {"forward_ms": 0.0}
        c0 = time.process_time()
        t0 = time.perf_counter()
        img = cv2.resize(rgb, (w, h), interpolation=cv2.INTER_AREA)
        t1 = time.perf_counter()
        src = torch.from_numpy(img).permute(2, 0, 1).float().div_(255)
        total = np.zeros((h, w))
        weight = np.zeros((h, w))
        for k in range(0, len(tiles), per_pass):
            part = tiles[k:k + per_pass]
            x = torch.stack([F.pad(src[:, ty:ty + th, tx:tx + tw],
                                   (0, max(0, tx + tw - w), 0, max(0, ty + th - h)), mode="replicate")
                             if (tx + tw > w or ty + th > h) else src[:, ty:ty + th, tx:tx + tw]
                             for tx, ty in part])
            f0 = time.perf_counter()
            with torch.no_grad():
                p = torch.sigmoid(model(x)).numpy()
            t["forward_ms"] += (time.perf_counter() - f0) * 1e3
            for n, (tx, ty) in enumerate(part):
                wx = window(tw, tx > 0, tx + tw < w)[:min(tw, w - tx)]
                wy = window(th, ty > 0, ty + th < h)[:min(th, h - ty)]
                wt = np.outer(wy, wx)
                total[ty:ty + len(wy), tx:tx + len(wx)] += wt * p[n, 0, :len(wy), :len(wx)]
                weight[ty:ty + len(wy), tx:tx + len(wx)] += wt
        heat = (total / weight).astype(np.float32)
        t2 = time.perf_counter()
        m = torch.from_numpy(heat)[None, None]
        r = int(SPACING)
        # The square window's maximum, separably: along rows, then along columns.
        peak = F.max_pool2d(F.max_pool2d(m, (1, 2 * r + 1), stride=1, padding=(0, r)), (2 * r + 1, 1), stride=1,
                            padding=(r, 0))
        local = (m == peak) & (m >= threshold)
        ys_, xs_ = torch.nonzero(local[0, 0], as_tuple=True)
        order = torch.argsort(m[0, 0, ys_, xs_], descending=True)
        kept = []
        for i in order.tolist():
            y, x = ys_[i].item(), xs_[i].item()
            if all((x - kx) ** 2 + (y - ky) ** 2 >= SPACING ** 2 for kx, ky in kept):
                kept.append((x, y))
        t3 = time.perf_counter()
        t.update(resize_ms=(t1 - t0) * 1e3, tiling_ms=(t2 - t1) * 1e3 - t["forward_ms"], decode_ms=(t3 - t2) * 1e3,
                 total_ms=(t3 - t0) * 1e3, total_cpu_ms=(time.process_time() - c0) * 1e3, cells=len(kept))
        return t

    for i in range(args.warmup):
        detect()
        print(f"torch tiled: warm-up {i + 1}/{args.warmup}", file=sys.stderr)
    runs = []
    for i in range(args.repeats):
        runs.append(detect())
        print(f"torch tiled: run {i + 1}/{args.repeats}: {runs[-1]['total_ms']:.1f} ms", file=sys.stderr)
    out = {"threads": torch.get_num_threads(), "torch": torch.__version__, "file": os.path.basename(args.image),
           "width": w0, "height": h0, "tiles": len(tiles), "cells": runs[0]["cells"], "weights": loaded or "random", **machine()}
    for k in ("total_ms", "total_cpu_ms", "resize_ms", "forward_ms", "tiling_ms", "decode_ms"):
        out[k] = round(statistics.median(r[k] for r in runs), 2)
    out["total_ms_runs"] = [round(r["total_ms"], 2) for r in runs]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
