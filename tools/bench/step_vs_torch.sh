#!/usr/bin/env bash
# The V-Net training step and inference batch of `vnet bench` next to PyTorch's (tools/bench/torch_vnet_step.py),
# run back to back for each configuration, with each process's peak resident memory. Prints one JSON line per run
# and a Markdown table of medians and ratios (PyTorch time / ours: above 1, ours is faster).
#
#   tools/bench/step_vs_torch.sh [size:batch:threads ...]      default: 256:4:2
#
# Needs the runnable jar (./vnet builds it) and the system's PyTorch (/usr/bin/python3). VNET_BENCH_JAVA_OPTS sets our
# JVM options (default: the launcher's, jvm.options; the Vector API module is added as ./vnet adds it); REPEATS the timed runs of each (default 5). PyTorch runs its transposed convolutions
# as OpenBLAS products; it runs with OPENBLAS_CORETYPE removed from its environment, so that its OpenBLAS (0.3.21)
# picks its own kernels (AVX-512 Cooperlake on this project's machine, where the environment says Haswell), as ours
# picks AVX-512 ones (dev.vnet.core.kernels.OpenBlasCoreType); TORCH_OPENBLAS_CORETYPE sets them instead.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/vnet-cli/target/vnet.jar"
[ -f "$jar" ] || { echo "step_vs_torch: build first (./vnet --help builds $jar)" >&2; exit 1; }
repeats="${REPEATS:-5}"
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(256:4:2)
out="$(mktemp -d)"
rss() { sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$1" | awk '{printf "%d", $1 / 1024}'; }
for c in "${configs[@]}"; do
  IFS=: read -r size batch threads <<<"$c"
  echo "step_vs_torch: $c (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  /usr/bin/time -v java ${VNET_BENCH_JAVA_OPTS:-@$root/jvm.options} --add-modules jdk.incubator.vector -jar "$jar" bench --no-conv --size "$size" --batch "$batch" \
    --threads "$threads" --repeats "$repeats" > "$out/ours-$c.json" 2> "$out/ours-$c.err"
  # torch.set_num_threads does not reach OpenBLAS's own threads: OPENBLAS_NUM_THREADS holds them to the same count
  torch_env=(env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS="$threads")
  [ -z "${TORCH_OPENBLAS_CORETYPE:-}" ] || torch_env+=(OPENBLAS_CORETYPE="$TORCH_OPENBLAS_CORETYPE")
  "${torch_env[@]}" /usr/bin/time -v /usr/bin/python3 "$root/tools/bench/torch_vnet_step.py" --size "$size" --batch "$batch" \
    --threads "$threads" --repeats "$repeats" > "$out/torch-$c.json" 2> "$out/torch-$c.err"
  echo "{\"config\": \"$c\", \"ours\": $(tr -d '\n' < "$out/ours-$c.json"), \"ours_peak_rss_mb\": $(rss "$out/ours-$c.err"), \"torch\": $(tr -d '\n' < "$out/torch-$c.json"), \"torch_peak_rss_mb\": $(rss "$out/torch-$c.err")}"
done | tee "$out/all.jsonl"
/usr/bin/python3 - "$out/all.jsonl" "$root/tools/bench" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
from machine import require_same
rows = [json.loads(l) for l in open(sys.argv[1])]
for r in rows:
    require_same(r["ours"], r["torch"], "step_vs_torch " + r["config"])
print("\n| size | batch | threads | step ours (ms) | step PyTorch (ms) | PyTorch / ours | step CPU ours (ms) | step CPU PyTorch (ms) "
      "| inference ours (ms) | inference PyTorch (ms) | PyTorch / ours | peak RSS ours (MB) | peak RSS PyTorch (MB) |")
print("|" + "---|" * 13)
for r in rows:
    o, t = r["ours"], r["torch"]
    size, batch, threads = r["config"].split(":")
    print(f"| {size} | {batch} | {threads} | {o['train_step_ms']:.0f} | {t['train_step_ms']:.0f} | "
          f"{t['train_step_ms'] / o['train_step_ms']:.2f} | {o['train_step_cpu_ms']:.0f} | {t['train_step_cpu_ms']:.0f} | "
          f"{o['infer_ms']:.0f} | {t['infer_ms']:.0f} | {t['infer_ms'] / o['infer_ms']:.2f} | "
          f"{r['ours_peak_rss_mb']} | {r['torch_peak_rss_mb']} |")
cores = sorted({(r["ours"].get("openblas_kernels"), r["torch"].get("openblas_coretype")) for r in rows}, key=str)
print("\nOpenBLAS kernels (ours, PyTorch's): " + ", ".join(f"{o}, {t}" for o, t in cores))
PY
