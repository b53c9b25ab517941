#!/usr/bin/env bash
# Build benchmark: generates a synthetic site of N scenarios (default 10000), then times
# `vitrine build` and reports wall time and peak memory (GNU time).
# Usage: ./bench/build.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --example generer_corpus --bin vitrine
./target/release/examples/generer_corpus --n "$n" --out "$work/site" >/dev/null
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "temps écoulé : %e s, mémoire maximale : %M Kio" \
    ./target/release/vitrine build --root "$work/site" --quiet
else
  start=$(date +%s.%N)
  ./target/release/vitrine build --root "$work/site" --quiet
  echo "temps écoulé : $(echo "$(date +%s.%N) - $start" | bc) s (installez GNU time pour la mémoire)"
fi
echo "pages HTML : $(find "$work/site/public" -name '*.html' | wc -l), fichiers : $(find "$work/site/public" -type f | wc -l)"
