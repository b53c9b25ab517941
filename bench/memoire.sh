#!/usr/bin/env bash
# Resident memory of a command over time: one line « seconds MiB » every half second, then
# the peak. Shows which stage of a build holds the most (compare with `build --durees`).
#   ./bench/memoire.sh target/release/vitrine build --root /work/sbs/100000/vitrine --durees
set -euo pipefail
[ $# -gt 0 ] || { echo "usage : $0 COMMANDE [ARGUMENTS…]" >&2; exit 2; }
"$@" >&2 &
pid=$!
start=$(date +%s.%N)
peak=0
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status" 2>/dev/null || true)
  if [ -n "$rss" ]; then
    now=$(date +%s.%N)
    awk -v n="$now" -v s="$start" -v r="$rss" 'BEGIN { printf "%6.1f s %6d Mio\n", n - s, r }'
    [ "$rss" -gt "$peak" ] && peak=$rss
  fi
  sleep 0.5
done
wait "$pid"
echo "pic : $peak Mio"
