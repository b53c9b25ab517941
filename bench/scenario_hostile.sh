#!/usr/bin/env bash
# Hostile scenario benchmark of BENCHMARKS.md: the build time of a site holding one scenario
# with N keywords, N tools or N identical headings (examples/scenario_hostile.rs), for
# doubling values of N. Linear work shows as a time that doubles with N (the per-1,000 column
# stays flat); quadratic work as a time that quadruples.
#
# Usage: ./bench/scenario_hostile.sh            RUNS=3 by default (median of RUNS builds)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --example scenario_hostile
bin="$PWD/target/release/examples/scenario_hostile"
runs="${RUNS:-3}"

# `measure OPTION N`: median build time in seconds of RUNS builds.
measure() {
  for _ in $(seq "$runs"); do
    "$bin" "$1" "$2" | sed -E 's/.*construction=([0-9.]+) s/\1/'
  done | sort -n | awk '{t[NR]=$1} END {print t[int((NR+1)/2)]}'
}

echo "Machine : $(nproc) cœurs, $(uname -sr) ; médiane de $runs constructions"
echo
echo "| Contenu du scénario | N | Construction | Par tranche de 1 000 |"
echo "|---|---|---|---|"
row() { # label option sizes…
  local label="$1" option="$2"
  shift 2
  for n in "$@"; do
    local t
    t=$(measure "$option" "$n")
    echo "| $label | $n | $t s | $(awk -v t="$t" -v n="$n" 'BEGIN {printf "%.3f s", t * 1000 / n}') |"
  done
}
row "mots-clés (1 sur 10 en double)" --mots-cles 25000 50000 100000 200000
row "titres identiques" --titres 5000 10000 20000 40000
row "outils (une page chacun)" --outils 500 1000 2000 4000
