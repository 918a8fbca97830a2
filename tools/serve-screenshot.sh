#!/usr/bin/env bash
# The screenshot of the `vnet serve` page in docs/server.md: a server with CHECKPOINT, headless Chromium (Debian's
# chromium and chromium-driver packages), the photographs chosen in the page, the first one shown with its cells.
#
#   tools/serve-screenshot.sh CHECKPOINT IMAGE... 
#   e.g. ./vnet demo && tools/serve-screenshot.sh demo-run/run/checkpoints/best.safetensors demo-run/test/im/Im00{1,2,3}*.jpg
#
# Writes docs/serve-page.png (or $OUT).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$(realpath "${1:?usage: $0 CHECKPOINT IMAGE...}")"
shift
[ "$#" -ge 1 ] || { echo "usage: $0 CHECKPOINT IMAGE..." >&2; exit 2; }
images=()
for i in "$@"; do images+=("$(realpath "$i")"); done
out="$(realpath -m "${OUT:-$root/docs/serve-page.png}")"
cd "$root"
cp="$(mktemp)"
trap 'rm -f "$cp"' EXIT
mvn -q -pl vnet-serve -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp"
java -Djava.awt.headless=true -cp "vnet-serve/target/test-classes:vnet-serve/target/classes:$(cat "$cp")" \
    dev.vnet.serve.PageScreenshot "$model" "$out" "${images[@]}"
