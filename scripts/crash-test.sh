#!/usr/bin/env bash
# Crash safety of index builds.
#
#   scripts/crash-test.sh [RUNS] [COPIES]
#
# 1. Builds a content folder large enough that `kbsearch index` takes over a
#    second: COPIES (default 20) copies of ../shared/corpus (or of content/
#    when the shared corpus is absent) plus the sample articles.
# 2. Indexes it, starts `kbsearch serve` on that index, and then RUNS times
#    (default 20): starts `kbsearch index`, kills it with SIGKILL at a random
#    point, checks that the server still answers /healthz and /api/search and
#    that `kbsearch search` still works on the previous index, and checks that
#    the next `kbsearch index` run succeeds and leaves one generation.
# 3. Corrupts the index (garbage in CURRENT; a truncated segment file) and
#    checks that `kbsearch search` fails with a clear message and that
#    `kbsearch serve` rebuilds from the content by itself.
#
# Only loopback addresses are used. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-20}"
copies="${2:-20}"

cargo build --release --quiet

work="$(mktemp -d "${TMPDIR:-/tmp}/kbsearch-crash.XXXXXX")"
# A private copy: a concurrent `cargo build` must not swap the binary mid-test.
bin="$work/kbsearch"
cp target/release/kbsearch "$bin"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "crash-test: FAIL: $*" >&2
    for log in "$work"/*.log; do
        [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
    done
    exit 1
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- content -------------------------------------------------------------
content="$work/content"
mkdir -p "$content"
source_dir="../shared/corpus"
[ -d "$source_dir" ] || source_dir="content"
for i in $(seq 1 "$copies"); do
    mkdir -p "$content/copy-$i"
    cp -r "$source_dir"/. "$content/copy-$i"/
done
cp -r content/. "$content/sample"/
files="$(find "$content" -name '*.md' | wc -l)"
echo "crash-test: $files Markdown files in $content" >&2

index="$work/index"
started_ns="$(date +%s%N)"
"$bin" index --content "$content" --index "$index" >"$work/first-index.log" 2>&1 ||
    fail "the first index build failed"
build_ms=$((($(date +%s%N) - started_ns) / 1000000))
echo "crash-test: a full build takes ${build_ms} ms" >&2
[ "$build_ms" -ge 1000 ] || echo "crash-test: warning: builds take under 1 s; raise COPIES" >&2

# --- a server on the first index ------------------------------------------
port="$(free_port)"
base="http://127.0.0.1:$port"
"$bin" serve --content "$content" --index "$index" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 100); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "$base/healthz" >/dev/null || fail "the server did not start"
grep -q "building the index" "$work/serve.log" && fail "serve rebuilt an up-to-date index"

check_server() {
    curl -fsS --max-time 10 "$base/healthz" >/dev/null || fail "$1: /healthz failed"
    curl -fsS --max-time 10 "$base/api/search?q=0x80070005" | grep -q '"hits":\[{' ||
        fail "$1: /api/search found nothing"
}

check_cli_search() {
    "$bin" search --index "$index" --json 0x80070005 >"$work/search.out" 2>"$work/search.log" ||
        fail "$1: kbsearch search failed"
    grep -q '"hits": \[$' "$work/search.out" || fail "$1: kbsearch search found nothing"
}

generations() {
    find "$index" -maxdepth 1 -name 'gen-*' -type d | wc -l
}

# Builds are incremental (unchanged files are reused), so every run first
# edits half of the articles; odd runs also pass --full.
touch_half() {
    local run="$1"
    find "$content" -name '*.md' | awk -v r="$run" 'NR % 2 == r % 2' |
        while IFS= read -r file; do printf '\nRevision %s.\n' "$run" >>"$file"; done
}

touch_half 0
started_ns="$(date +%s%N)"
"$bin" index --content "$content" --index "$index" >"$work/incremental.log" 2>&1 ||
    fail "the first incremental build failed"
incremental_ms=$((($(date +%s%N) - started_ns) / 1000000))
echo "crash-test: an incremental build of half the files takes ${incremental_ms} ms" >&2

# --- kill -9 at random points ----------------------------------------------
killed=0
for run in $(seq 1 "$runs"); do
    touch_half "$run"
    if [ $((run % 2)) -eq 1 ]; then
        mode=(--full)
        max_delay_ms="$build_ms"
    else
        mode=()
        max_delay_ms="$incremental_ms"
    fi
    delay_ms="$(shuf -i 1-"$max_delay_ms" -n 1)"
    "$bin" index --content "$content" --index "$index" "${mode[@]}" >"$work/killed.log" 2>&1 &
    victim="$!"
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    if kill -KILL "$victim" 2>/dev/null; then
        outcome="${mode[*]:-incremental} build killed after ${delay_ms} ms"
        killed=$((killed + 1))
    else
        outcome="finished before the kill at ${delay_ms} ms"
    fi
    wait "$victim" 2>/dev/null || true

    check_server "run $run ($outcome)"
    check_cli_search "run $run ($outcome)"

    "$bin" index --content "$content" --index "$index" >"$work/next-index.log" 2>&1 ||
        fail "run $run ($outcome): the next index build failed"
    check_cli_search "run $run, after the next build"
    [ "$(generations)" -eq 1 ] || fail "run $run: $(generations) generations left after a good build"
    leftovers="$(find "$index" -maxdepth 1 -name 'CURRENT.tmp-*' | wc -l)"
    [ "$leftovers" -eq 0 ] || fail "run $run: $leftovers CURRENT.tmp files left behind"
    check_server "run $run, after the next build"
    echo "crash-test: run $run/$runs ok ($outcome)" >&2
done

[ "$killed" -ge $((runs * 3 / 4)) ] || fail "only $killed of $runs builds were killed before they finished"

# --- corrupted indexes -----------------------------------------------------
expect_clear_error() {
    local what="$1"
    if "$bin" search --index "$index" vpn >"$work/corrupt.out" 2>"$work/corrupt.err"; then
        fail "$what: kbsearch search succeeded on a corrupted index"
    fi
    grep -Eqi 'unusable|corrupt|missing|cannot|failed|error' "$work/corrupt.err" ||
        fail "$what: unclear error: $(cat "$work/corrupt.err")"
    grep -qi 'panicked' "$work/corrupt.err" && fail "$what: kbsearch search panicked"
    echo "crash-test: $what → $(head -c 300 "$work/corrupt.err")" >&2
}

expect_serve_rebuilds() {
    local what="$1" port base2 pid
    port="$(free_port)"
    base2="http://127.0.0.1:$port"
    "$bin" serve --content "$content" --index "$index" --addr "127.0.0.1:$port" >"$work/serve2.log" 2>&1 &
    pid="$!"
    pids+=("$pid")
    for _ in $(seq 1 600); do
        curl -fsS "$base2/healthz" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || fail "$what: kbsearch serve exited instead of rebuilding"
        sleep 0.1
    done
    curl -fsS "$base2/api/search?q=0x80070005" | grep -q '"hits":\[{' ||
        fail "$what: the rebuilt index answers nothing"
    grep -q "building the index" "$work/serve2.log" || fail "$what: serve did not say it rebuilt"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    check_cli_search "$what, after serve rebuilt"
    echo "crash-test: $what → serve rebuilt the index" >&2
}

printf 'garbage\x00\xff' >"$index/CURRENT"
expect_clear_error "garbage in CURRENT"
expect_serve_rebuilds "garbage in CURRENT"

generation="$(find "$index" -maxdepth 1 -name 'gen-*' -type d | head -n 1)"
segment="$(find "$generation" -name '*.idx' -type f -size +1k | head -n 1)"
[ -n "$segment" ] || fail "no segment file to truncate"
truncate -s "$(($(stat -c %s "$segment") / 2))" "$segment"
expect_clear_error "truncated $(basename "$segment")"
expect_serve_rebuilds "truncated $(basename "$segment")"

generation="$(find "$index" -maxdepth 1 -name 'gen-*' -type d | head -n 1)"
rm -f "$generation/meta.json"
expect_clear_error "missing meta.json"
expect_serve_rebuilds "missing meta.json"

# The first server, on the very first generation, never stopped answering.
check_server "end"
echo "crash-test: $runs runs ($killed builds killed with SIGKILL) and 3 corruptions: all ok"
