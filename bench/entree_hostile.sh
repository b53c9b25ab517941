#!/usr/bin/env bash
# Hostile harvested entry benchmark of BENCHMARKS.md: for each size N (default: 1000 10000
# 100000 200000 1000000), generates a national site harvesting one catalogue entry with N
# keywords, N tools, N authors and N disciplines (examples/entree_hostile.rs), harvests it, then
# measures with hyperfine (median) a clean build, and prints the catalogue size, the build time,
# the time per 100,000 items and the published size. Build time must grow at most linearly
# with N (the entry caps make everything past them constant but reading the JSON).
#
# Usage: ./bench/entree_hostile.sh [N…]        e.g. ./bench/entree_hostile.sh 1000 200000
# Environment: RUNS (runs per measure, default 5), WORK (working folder; default: temporary).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "installez hyperfine (apt-get install hyperfine)" >&2; exit 1; }

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000 200000 1000000)
work="${WORK:-$(mktemp -d)}"
[ -n "${WORK:-}" ] || trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --example entree_hostile --bin vitrine
bin="$PWD/target/release/vitrine"
gen="$PWD/target/release/examples/entree_hostile"

echo "Machine : $(nproc) cœurs, $(uname -sr)"
echo
echo "| Éléments par liste (N) | Catalogue | Construction complète | Par 100 000 éléments | Sortie |"
echo "|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  rm -rf "$site"
  "$gen" --n "$n" --out "$site" >/dev/null
  "$bin" harvest --root "$site" >/dev/null
  hyperfine --shell bash --style none --warmup 1 --runs "${RUNS:-5}" --export-json "$work/build.json" \
    --prepare "rm -rf '$site/public' '$site/.vitrine-cache/index' '$site/.vitrine-cache/construction.json'" \
    "'$bin' build --root '$site' --quiet 2>/dev/null" >/dev/null 2>&1
  median=$(python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$work/build.json")
  per=$(python3 -c "print('%.3f' % ($median * 100000 / $n))")
  catalogue_mb=$(python3 -c "import os; print('%.1f' % (os.path.getsize('$site/catalogue.json') / 1e6))")
  out_kb=$(du -sk --apparent-size "$site/public" | cut -f1)
  echo "| $n | $catalogue_mb Mo | $median s | $per s | $out_kb Kio |"
done
