#!/bin/sh
# Lab speed: a cached second run of `opentrail lab -- true`; prints the lab's own
# boot-to-first-command figure and the wall time. Usage: bench/lab_boot.sh [6.1|6.12]
set -eu
cd "$(dirname "$0")/.."
k=${1:-6.12}
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
build/opentrail lab --kernel "$k" --out "$d" -- true 2>/dev/null # warm the caches
start=$(date +%s.%N)
build/opentrail lab --kernel "$k" --out "$d" -- true 2>"$d/err"
end=$(date +%s.%N)
grep -o 'boot to first command: [0-9.]* s' "$d/err" || true
awk -v s="$start" -v e="$end" 'BEGIN { printf "lab -- true: %.1f s wall\n", e - s }'
