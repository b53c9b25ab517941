#!/usr/bin/env bash
# Runs the whole test suite of vitrine, after installing what the tests need.
# Usage (from anywhere): ./tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# --- What the tests need beyond cargo -------------------------------------------------
# python3: the independent static HTTP server (python3 -m http.server) the site is crawled through.
# chromium, node/npm: the real browser and the pinned npm packages of tests/browser (axe-core,
# playwright-core) for the accessibility audit.
# xmllint (libxml2-utils): validation of the ScoLOMFR/LOM records against the official XSD.
apt_packages=()
command -v python3 >/dev/null 2>&1 || apt_packages+=(python3)
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
command -v xmllint >/dev/null 2>&1 || apt_packages+=(libxml2-utils)
# tests/deploiement.rs: the site served by a real nginx with the configuration init writes.
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || apt_packages+=(nginx)

if [ "${#apt_packages[@]}" -gt 0 ]; then
  echo "==> Installation des paquets : ${apt_packages[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
fi

echo "==> Paquets npm des tests navigateur (versions figées)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

# --- Checks and tests ------------------------------------------------------------------
echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy -D warnings"
cargo clippy --locked --all-targets -- -D warnings
echo "==> cargo test"
# The benchmark corpus generator is run by tests/build_cache.rs.
cargo build --locked --example generer_corpus
# Every tool is installed above: tests must not skip for a missing tool.
export VITRINE_TESTS_COMPLETS=1
cargo test --locked --all-targets
cargo test --locked --doc
echo "==> Tous les tests sont passés."
