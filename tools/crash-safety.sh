#!/usr/bin/env bash
# Crash safety of training: a hundred trials (or TRIALS) of a tiny training run (six smears of 96×64, a model of
# width 4, three epochs) killed with SIGKILL at random instants and while an epoch's checkpoints are renamed into
# place, every second trial killed again in its first resume, then resumed to its end. Every run must end with the
# bytes of an uninterrupted run's checkpoints/last.safetensors and leave no temporary file.
#
#   tools/crash-safety.sh [TRIALS]        (default 100; extra Maven options in MAVEN_ARGS, e.g. MAVEN_ARGS=-o)
#
# It runs CrashSafetyTest (vnet-train) with -Dvnet.crashTrials=TRIALS: the training JVMs are started ahead of their
# trials (JVM start and native BLAS load, about 1 s of CPU each, out of the kill's timing) and resumes run in the
# test's JVM. Measured on the project's 2-core machine: 100 trials in 169 s (2 min 56 s with the build) at a load
# average of 2-4, 669 s at 25; .ci/run runs it. docs/reliability.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trials="${1:-100}"
cd "$root"
# shellcheck disable=SC2086
mvn -B -q -ntp ${MAVEN_ARGS:-} -pl vnet-train -am test -Dtest=CrashSafetyTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dvnet.crashTrials="$trials"
