#!/usr/bin/env bash
# Live preview benchmark: generates a site of N scenarios (default 10000), starts the preview
# server in-process and saves one scenario repeatedly; prints the medians (save → reload event,
# save → new page served, save → index and search data updated) and the peak memory.
# Usage: ./bench/apercu.sh [N] [SAVES]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
saves="${2:-15}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --example generer_corpus --example apercu
./target/release/examples/generer_corpus --n "$n" --out "$work/site" >/dev/null
./target/release/examples/apercu "$work/site" "$saves"
