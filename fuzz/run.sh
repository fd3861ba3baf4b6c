#!/usr/bin/env bash
# Fuzzes gnbv's workbook reader for a bounded time (coverage-guided, libFuzzer
# through cargo-fuzz), each target SECONDS seconds (default 60), from the seed
# corpus in corpus/<target>/seed_*. Exits non-zero on a crash, a leak of
# memory past the limit below, or an input slower than the timeout; the input
# is left in artifacts/<target>/ (rerun it: cargo fuzz run <target> <file>).
#
#   fuzz/run.sh 90                 # CI: 90 s per target
#   fuzz/run.sh 600 read_cells     # one target, longer
#   FUZZ_SEED=0 fuzz/run.sh 300    # a new random seed each run (default 1: CI
#                                  # explores the same way every time)
#
# Only the stable toolchain exists here: RUSTC_BOOTSTRAP=1 lets it take the
# nightly-only flags cargo-fuzz passes (sanitizer coverage, AddressSanitizer).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(read_workbook read_cells read_xml)

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1

status=0
for target in "${targets[@]}"; do
  # New inputs go to a scratch folder; the committed seeds are only read.
  work="$(mktemp -d)"
  mkdir "$work/corpus"
  echo "fuzz $target for ${seconds}s"
  # -rss_limit_mb: a hostile file must not make the reader hold more than
  # this (AddressSanitizer's own overhead included).
  if cargo fuzz run "$target" "$work/corpus" "corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=1536 -timeout=20 -max_len=131072 \
      -print_final_stats=1 -detect_leaks=0 -seed="${FUZZ_SEED:-1}" >"$work/log" 2>&1; then
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)|INFO: seed corpus' "$work/log" || true
    caught="$(grep -c '^gnbv-fuzz: panicked' "$work/log" || true)"
    echo "fuzz $target: no crash, $(find "$work/corpus" -type f | wc -l) new corpus inputs, $caught parser panics caught (each a finding)"
  else
    tail -80 "$work/log"
    echo "fuzz $target: FAILED (input saved under fuzz/artifacts/$target/)"
    status=1
  fi
  rm -rf "$work"
done
exit "$status"
