#!/usr/bin/env bash
# The point detector on one whole photograph, ours (vnet bench --photograph) then PyTorch's (torch_tiled.py) with the
# same tiling and weights, back to back on this machine; prints both JSONs and the ratios.
#   tools/bench/tiled_vs_torch.sh IMAGE [CHECKPOINT] [THREADS] [REPEATS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
image="$1"; model="${2:-}"; threads="${3:-2}"; repeats="${4:-5}"
out="$(mktemp -d)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)" >&2
"$root/vnet" bench --no-step --no-conv --threads "$threads" --repeats "$repeats" --warmup 2 --photograph "$image" \
  ${model:+--model "$model"} > "$out/ours.json"
# PyTorch's OpenBLAS (its transposed convolutions) gets the same thread count and its own best kernels.
env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS="$threads" /usr/bin/python3 "$root/tools/bench/torch_tiled.py" "$image" \
  --threads "$threads" --repeats "$repeats" --warmup 2 ${model:+--model "$model"} > "$out/torch.json"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
/usr/bin/python3 - "$out/ours.json" "$out/torch.json" "$root/tools/bench" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[3])
from machine import require_same
whole = json.load(open(sys.argv[1]))
ours = whole["photograph"]
torch = json.load(open(sys.argv[2]))
require_same(whole, torch, "tiled_vs_torch")
print(json.dumps({"ours": ours, "torch": torch}, indent=2))
print("| phase | ours (ms) | PyTorch (ms) | PyTorch / ours |")
print("|---|---|---|---|")
for k in ("total_ms", "total_cpu_ms", "resize_ms", "forward_ms", "tiling_ms", "decode_ms"):
    print(f"| {k} | {ours[k]:.1f} | {torch[k]:.1f} | {torch[k] / ours[k]:.2f} |")
PY
