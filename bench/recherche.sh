#!/usr/bin/env bash
# Browser search benchmark: generates a synthetic site of N scenarios (default 10000), builds
# it (with the duration of each stage, export of the search included), then measures in
# headless Chromium the bytes transferred (gzip) by a one-word query (a very frequent word, a
# common one, a rare one) and a three-word query with two filters, and the time to show
# results. The bytes of body texts (passages) are given apart.
# Usage: ./bench/recherche.sh [N]   (needs Chromium and `npm ci` in tests/browser)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --example generer_corpus --bin vitrine
./target/release/examples/generer_corpus --n "$n" --out "$work/site" >/dev/null
./target/release/vitrine build --root "$work/site" --durees
data="$work/site/public/recherche/donnees"
echo "fichiers de la recherche : $(find "$data" -type f | wc -l) ($(du -sh "$data" | cut -f1))"
node bench/recherche.mjs "$work/site/public" "tableur" "élèves carte numérique" discipline=mathematiques niveau=6e
node bench/recherche.mjs "$work/site/public" "podcast" "élèves carte numérique" discipline=mathematiques niveau=6e | sed -n 1p
node bench/recherche.mjs "$work/site/public" "expérimental" "élèves carte numérique" discipline=mathematiques niveau=6e | sed -n 1p
