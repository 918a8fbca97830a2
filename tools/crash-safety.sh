#!/usr/bin/env bash
# Crash safety of training: kills `vnet train` with SIGKILL at random instants on tiny synthetic data, resumes
# each run with --resume until it ends, and compares its final weights with those of an uninterrupted run.
# Every run must resume (no dead end, whatever the instant) and end with byte-identical last.safetensors.
#
#   tools/crash-safety.sh [TRIALS] [WORK_FOLDER]     (default: 100 trials in a temporary folder)
#
# A trial is killed at a random instant in the first seconds of the run (before, during and after the
# end-of-epoch writes), then resumed, and killed again at random on every second resume, so that resumed runs
# are killed too. Every start of `vnet` loads the JVM and ND4J (seconds), so a trial takes about 25 s on 2 cores
# (12 trials in 5 minutes) and 100 trials about 40 minutes; `tools/crash-safety.sh 5` is a quick check
# (CrashSafetyTest kills 3 runs in the unit tests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trials="${1:-100}"
work="${2:-$(mktemp -d)}"
mkdir -p "$work"
export VNET_JAVA_OPTS="${VNET_JAVA_OPTS:--Xmx512m}"
vnet="$root/vnet"
"$vnet" --version >/dev/null   # builds the jar first if needed

"$vnet" synth --out "$work/data" --images 6 --width 96 --height 64 --force >/dev/null
options=(--preset demo --size 32 --epochs 4 --batch 2 --threads 1 --seed 5 -q)
"$vnet" train --data "$work/data" --out "$work/straight" "${options[@]}" --force >/dev/null
reference="$work/straight/checkpoints/last.safetensors"
# Wall time of an uninterrupted run, in milliseconds: kills fall anywhere in it.
start=$(date +%s%N)
"$vnet" train --data "$work/data" --out "$work/timing" "${options[@]}" --force >/dev/null
span=$(( ($(date +%s%N) - start) / 1000000 ))

failed=0
for i in $(seq 1 "$trials"); do
  run="$work/trial-$i"
  rm -rf "$run"
  "$vnet" train --data "$work/data" --out "$run" "${options[@]}" >/dev/null 2>"$work/err-$i" &
  pid=$!
  sleep "$(awk -v s=$RANDOM -v span="$span" 'BEGIN { srand(s); printf "%.3f", rand() * span / 1000 }')"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  resumes=0
  until [ -f "$run/report.json" ]; do
    resumes=$((resumes + 1))
    if [ "$resumes" -gt 20 ]; then
      echo "trial $i: no end after 20 resumes: $(tail -n 1 "$work/err-$i")"; failed=$((failed + 1)); continue 2
    fi
    if [ -f "$run/config.json" ]; then
      args=(--resume -q)
    else
      args=("${options[@]}")   # killed before the run folder was written: a plain rerun
    fi
    if [ $((resumes % 2)) -eq 1 ]; then
      "$vnet" train --data "$work/data" --out "$run" "${args[@]}" >/dev/null 2>"$work/err-$i" &
      pid=$!
      sleep "$(awk -v s=$RANDOM -v span="$span" 'BEGIN { srand(s); printf "%.3f", rand() * span / 1000 }')"
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    elif ! "$vnet" train --data "$work/data" --out "$run" "${args[@]}" >/dev/null 2>"$work/err-$i"; then
      echo "trial $i: resume failed: $(tail -n 1 "$work/err-$i")"; failed=$((failed + 1)); continue 2
    fi
  done
  if ! cmp -s "$reference" "$run/checkpoints/last.safetensors"; then
    echo "trial $i: final weights differ from the uninterrupted run's"; failed=$((failed + 1)); continue
  fi
  if find "$run" -name '*.tmp' | grep -q .; then
    echo "trial $i: temporary files left: $(find "$run" -name '*.tmp' | head -n 3)"; failed=$((failed + 1)); continue
  fi
  rm -rf "$run" "$work/err-$i"
done
echo "$((trials - failed)) of $trials trials resumed to the uninterrupted run's weights"
[ "$failed" -eq 0 ]
