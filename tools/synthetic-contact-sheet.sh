#!/usr/bin/env bash
# Writes docs/images/synthetic-contact-sheet.png: synthetic smears of the two ALL-IDB1 camera presets
# next to real BCCD photographs at the same scale (pass their paths; by default two BCCD images if present).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/images/synthetic-contact-sheet.png}
shift || true
real=("$@")
if [ ${#real[@]} -eq 0 ]; then
  for f in /work/shared/data/bccd-sample/JPEGImages/BloodImage_00001.jpg \
           /work/shared/data/bccd-sample/JPEGImages/BloodImage_00100.jpg \
           vnet-io/src/test/resources/dev/vnet/io/bccd/BloodImage_00010.jpg; do
    if [ -f "$f" ] && [ ${#real[@]} -lt 2 ]; then real+=("$f"); fi
  done
fi
mvn -o -q -B -pl vnet-io -am compile dependency:build-classpath -Dmdep.outputFile=target/vnet-io.classpath >/dev/null
cp="vnet-core/target/classes:vnet-ops/target/classes:vnet-io/target/classes:$(cat vnet-io/target/vnet-io.classpath)"
java -cp "$cp" dev.vnet.io.synth.ContactSheet "$out" "${real[@]}"
