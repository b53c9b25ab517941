#!/usr/bin/env bash
# Resident memory of a command over time: one line every half second (seconds, resident MiB,
# of which anonymous — the program's own — and file-backed — the tantivy index files mapped
# into memory, which the kernel can drop), then the peaks. Shows which stage of a build holds
# the most (compare with `build --durees`).
#   ./bench/memoire.sh target/release/vitrine build --root /work/sbs/100000/vitrine --durees
set -euo pipefail
[ $# -gt 0 ] || { echo "usage : $0 COMMANDE [ARGUMENTS…]" >&2; exit 2; }
"$@" >&2 &
pid=$!
start=$(date +%s.%N)
peak=0
peak_anon=0
while kill -0 "$pid" 2>/dev/null; do
  read -r rss anon file < <(awk '/^VmRSS/ { r = int($2 / 1024) } /^RssAnon/ { a = int($2 / 1024) }
    /^RssFile/ { f = int($2 / 1024) } END { print r, a, f }' "/proc/$pid/status" 2>/dev/null || true)
  if [ -n "${rss:-}" ]; then
    now=$(date +%s.%N)
    awk -v n="$now" -v s="$start" -v r="$rss" -v a="$anon" -v f="$file" \
      'BEGIN { printf "%6.1f s %6d Mio (anonyme %6d, fichiers %6d)\n", n - s, r, a, f }'
    [ "$rss" -gt "$peak" ] && peak=$rss
    [ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
  fi
  sleep 0.5
done
wait "$pid"
echo "pic : $peak Mio (anonyme au plus : $peak_anon Mio)"
