#!/usr/bin/env bash
# A load benchmark of `vnet serve` (docs/server.md): CLIENTS concurrent clients send REQUESTS photographs in all to
# POST /api/v1/segment, each answer's status and wall time recorded; then the p50 and p95 latency of the answered
# images, the throughput, and how many were answered 200, 429 or anything else (000: no answer at all). A 429 is
# counted, not retried: the point is that every request gets an answer.
#
#   tools/serve-load.sh URL IMAGES_DIR [CLIENTS] [REQUESTS]
#   e.g. ./vnet serve --model run/checkpoints/best.safetensors --port 8080 &
#        tools/serve-load.sh http://127.0.0.1:8080 data/im 8 200
#
# Needs curl. The images are sent in turn (JPEG, PNG, TIFF or BMP, any size); the first answer's timings (decode,
# inference, encode, in ms) are printed too. RESULTS=FILE keeps each answer's status and seconds, a line each.
set -euo pipefail
url="${1:?usage: $0 URL IMAGES_DIR [CLIENTS] [REQUESTS]}"
dir="${2:?usage: $0 URL IMAGES_DIR [CLIENTS] [REQUESTS]}"
clients="${3:-8}"
requests="${4:-200}"
mapfile -t images < <(find "$dir" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \
    -o -iname '*.tif' -o -iname '*.tiff' -o -iname '*.bmp' \) | sort)
if [ "${#images[@]}" -eq 0 ]; then
    echo "no image (.jpg, .png, .tif, .bmp) in $dir" >&2
    exit 2
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

curl -sf "$url/health" > /dev/null || { echo "no server answers at $url/health" >&2; exit 1; }
echo "one request first: $(basename "${images[0]}")"
curl -s -H "Content-Type: application/octet-stream" --data-binary "@${images[0]}" "$url/api/v1/segment" \
    | grep -o '"width":[0-9]*,"height":[0-9]*\|"count":[0-9]*\|"timings":{[^}]*}' | tr '\n' ' '
echo

for ((i = 0; i < requests; i++)); do
    echo "${images[i % ${#images[@]}]}"
done > "$out/list"

start=$(date +%s.%N)
# Each line: HTTP status, wall seconds.
xargs -P "$clients" -I{} curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
    -H "Content-Type: application/octet-stream" --data-binary @{} "$url/api/v1/segment" < "$out/list" \
    | tee "${RESULTS:-$out/results.copy}" > "$out/results" || true
end=$(date +%s.%N)

# Sorted by time first: mawk, Debian's default awk, has no sort of its own.
sort -k2 -g "$out/results" | awk -v wall="$(echo "$end - $start" | bc)" -v clients="$clients" '
    { n++; status[$1]++; if ($1 == 200) { ok++; t[ok] = $2 } }
    END {
        p50 = ok ? t[int((ok - 1) * 0.50) + 1] : 0
        p95 = ok ? t[int((ok - 1) * 0.95) + 1] : 0
        printf "%d requests by %d clients in %.1f s: %.2f images/s answered 200\n", n, clients, wall, ok / wall
        printf "latency of the 200s: p50 %.2f s, p95 %.2f s, max %.2f s\n", p50, p95, ok ? t[ok] : 0
        for (s in status) printf "status %s: %d\n", s, status[s]
    }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); CPU: $(lscpu | sed -n 's/^Model name: *//p'); $(date -u +%FT%TZ)"
