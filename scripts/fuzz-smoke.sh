#!/usr/bin/env bash
# Fuzz smoke test: runs every cargo-fuzz target in fuzz/ for SECONDS each
# (default 60) and fails on the first crash, panic, timeout or leak.
#
#   scripts/fuzz-smoke.sh [SECONDS]
#
# Installs cargo-fuzz when it is missing. The toolchain is stable, so the
# nightly-only flags cargo-fuzz passes (-Zsanitizer=address) are allowed
# with RUSTC_BOOTSTRAP=1. The first build compiles every dependency with
# AddressSanitizer and takes about 10 minutes on two cores.
#
# Corpora live under target/fuzz/corpus/<target> (kept between runs, seeded
# from content/ and fuzz/seeds/); crash inputs are written to
# target/fuzz/artifacts/<target>/. Turn a crash into a test in
# tests/regression.rs, then reproduce with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --target-dir target/fuzz TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
case "$seconds" in
    '' | *[!0-9]*)
        echo "usage: $0 [SECONDS]" >&2
        exit 2
        ;;
esac

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
root="$PWD"
target_dir="$root/target/fuzz"
mkdir -p "$target_dir"

echo "fuzz-smoke: building the fuzz targets" >&2
cargo fuzz build --target-dir "$target_dir" >&2

# target:max_len (bytes of one input)
targets=("ingest:65536" "codes:4096" "query:4096")
failed=0
summary=()
for spec in "${targets[@]}"; do
    target="${spec%%:*}"
    max_len="${spec##*:}"
    corpus="$target_dir/corpus/$target"
    artifacts="$target_dir/artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    if [ -d "fuzz/seeds/$target" ]; then
        cp -n fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
    fi
    if [ "$target" = ingest ]; then
        # The sample articles, one file each (en/ and ru/ share names).
        find content -name '*.md' -print0 | while IFS= read -r -d '' file; do
            cp -n "$file" "$corpus/$(echo "$file" | tr '/' '_')"
        done
    fi
    log="$target_dir/$target.log"
    echo "fuzz-smoke: $target for ${seconds}s (log: $log)" >&2
    status=0
    cargo fuzz run --target-dir "$target_dir" "$target" "$corpus" -- \
        -max_total_time="$seconds" \
        -max_len="$max_len" \
        -timeout=30 \
        -rss_limit_mb=4096 \
        -print_final_stats=1 \
        -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
    runs="$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)"
    if [ "$status" -ne 0 ]; then
        failed=1
        echo "fuzz-smoke: $target FAILED (exit $status); last lines of $log:" >&2
        grep -E 'panicked|ERROR|SUMMARY|Test unit written|timeout' "$log" | tail -n 20 >&2 || true
        summary+=("$target: FAILED (exit $status) ${runs}")
    else
        summary+=("$target: ok, ${runs:-no stats}")
    fi
done

printf 'fuzz-smoke: %s\n' "${summary[@]}"
exit "$failed"
