#!/usr/bin/env bash
# Build benchmark of BENCHMARKS.md: for each size N (default: 1000 10000 100000), generates a
# corpus of N scenarios (examples/generer_corpus.rs, fixed seed), then measures with hyperfine
# (medians) the copy of the corpus (the floor: reading the sources and writing files), a clean
# build, a rebuild with nothing changed and a rebuild after one scenario was edited; and with
# GNU time the peak memory and CPU time of a clean build; then sizes and file counts.
#
# Outputs and copies are moved to a trash folder between runs, and deleted only at the end:
# on an ext4 file system without journal (such as this machine's), Linux avoids reusing inodes
# deleted in the last minutes (`recently_deleted()` in fs/ext4/ialloc.c), which makes creating
# files right after deleting tens of thousands several times slower. A webmaster's clean build
# on a fresh runner does not pay that, so neither does a measured run (floor included).
#
# Usage: ./bench/construction.sh [N…]        e.g. ./bench/construction.sh 1000 10000
# Environment: RUNS (runs per measure, default 5; 1 at 100,000), WORK (working folder, on the
# same file system as a real site; default: a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  command -v "$1" >/dev/null 2>&1 && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y --no-install-recommends "$2" >/dev/null
  else
    echo "installez $2 (apt-get install $2)" >&2
    exit 1
  fi
}
need hyperfine hyperfine
[ -x /usr/bin/time ] || need /usr/bin/time time

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
work="${WORK:-$(mktemp -d)}"
trash="$work/corbeille"
mkdir -p "$trash"
if [ -n "${WORK:-}" ]; then trap 'rm -rf "$trash"' EXIT; else trap 'rm -rf "$work"' EXIT; fi
# `aside X`: moves X (if present) into the trash, a rename instead of a deletion.
aside() { for x in "$@"; do [ ! -e "$x" ] || mv "$x" "$(mktemp -d -p "$trash")/"; done; }
export -f aside
export trash

cargo build --release --quiet --example generer_corpus --bin vitrine
bin="$PWD/target/release/vitrine"
gen="$PWD/target/release/examples/generer_corpus"

median() { # hyperfine JSON → median seconds
  python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}

echo "Machine : $(nproc) cœurs, $(awk '/MemTotal/ {printf "%.0f Gio", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "Dossier de travail : $work ($(df -T "$work" | awk 'NR==2 {print $2}'))"
echo
echo "| Scénarios | Corpus | Copie du corpus (plancher) | Construction complète | ÷ plancher | CPU (user+sys) | Mémoire max | Rien de changé | Un scénario modifié | Sortie | Index tantivy | Recherche (navigateur) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  runs="${RUNS:-5}"
  [ "$n" -lt 100000 ] || runs=1
  site="$work/site-$n"
  aside "$site"
  "$gen" --n "$n" --out "$site" >/dev/null
  corpus_mb=$(du -sm --apparent-size "$site/content" | cut -f1)
  one="$site/content/scenarios/lot-000/scenario-000000.md"

  hyperfine --shell bash --style none --runs "$runs" --export-json "$work/copy.json" \
    --prepare "aside '$work/copie'" "cp -r '$site/content' '$work/copie'" >/dev/null
  aside "$work/copie"
  hyperfine --shell bash --style none --runs "$runs" --export-json "$work/full.json" \
    --prepare "aside '$site/public' '$site/.vitrine-cache'" "'$bin' build --root '$site' --quiet" >/dev/null
  # Before the rebuilds, which delete the folders of the output they replace.
  aside "$site/public" "$site/.vitrine-cache"
  /usr/bin/time -f "%M %U %S" -o "$work/time.txt" "$bin" build --root "$site" --quiet
  read -r rss_kb user sys <"$work/time.txt"
  hyperfine --shell bash --style none --runs "$runs" --export-json "$work/same.json" \
    "'$bin' build --root '$site' --quiet" >/dev/null
  hyperfine --shell bash --style none --runs "$runs" --export-json "$work/edit.json" \
    --prepare "echo 'Une phrase ajoutée.' >> '$one'" "'$bin' build --root '$site' --quiet" >/dev/null

  copy=$(median "$work/copy.json")
  full=$(median "$work/full.json")
  same=$(median "$work/same.json")
  edit=$(median "$work/edit.json")
  ratio=$(python3 -c "print('%.1f' % ($full / $copy))")
  cpu=$(python3 -c "print('%.1f' % ($user + $sys))")
  rss=$(python3 -c "print('%.0f Mio' % ($rss_kb / 1024))")
  out_mb=$(du -sm --apparent-size "$site/public" | cut -f1)
  out_files=$(find "$site/public" -type f | wc -l)
  index_mb=$(du -sm --apparent-size "$site/.vitrine-cache/index" | cut -f1)
  search_mb=$(du -sm --apparent-size "$site/public/recherche" | cut -f1)
  echo "| $n | $corpus_mb Mo | $copy s | $full s | $ratio | $cpu s | $rss | $same s | $edit s | $out_mb Mo, $out_files fichiers | $index_mb Mo | $search_mb Mo |"
  aside "$site"
done
