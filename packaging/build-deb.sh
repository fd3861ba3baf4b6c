#!/usr/bin/env bash
# Builds the Debian package target/debian/gnbv_<version>_amd64.deb (cargo-deb):
# first the man pages, shell completions and /etc/gnbv defaults, generated
# from the program into target/package/, then the release build and package.
#   bash packaging/build-deb.sh            (cargo-deb installed when missing)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
  cargo install cargo-deb --locked
fi
cargo run --locked --quiet --example package_assets -- target/package >/dev/null
cargo deb --locked "$@"
