#!/usr/bin/env bash
# Indexing throughput, serving start-up time and serving memory.
#
#   scripts/bench-index.sh [--docs N] [--seed S] [--work DIR] [--port P] [--rounds R] [--reuse-index]
#
# 1. generates N synthetic documents (default 5000 ≈ 100 k sections) with
#    `examples/gen_corpus.rs` (reused when already there);
# 2. times `kbsearch index` with /usr/bin/time -v: MB/s of Markdown,
#    sections/s, threads (from the summary line), CPU use, peak RSS;
# 3. starts `kbsearch serve` on the finished index three times and reports the
#    time until /healthz answers 200;
# 4. sends R rounds (default 20) of the query mix in scripts/bench-queries.sh
#    to /api/search and reports the server's RSS before and after.
#
# --reuse-index skips step 2 when the index of an earlier run is there and
# still opens (the index format has not changed since).
#
# KBSEARCH_BIN=path measures that binary instead of target/release/kbsearch.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-queries.sh

DOCS=5000
SEED=1
WORK=target/bench-data/index-bench
PORT=18081
ROUNDS=20
REUSE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --docs) DOCS="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --reuse-index) REUSE=1; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[ -x /usr/bin/time ] || { echo "bench-index: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

cargo build --release --quiet --bin kbsearch --example gen_corpus
# KBSEARCH_BIN measures another build (e.g. a copy of an earlier one).
BIN=${KBSEARCH_BIN:-target/release/kbsearch}
mkdir -p "$WORK"
CORPUS="$WORK/corpus-$DOCS-s$SEED"
INDEX="$WORK/index-$DOCS-s$SEED"
if [ ! -f "$CORPUS.complete" ]; then
    rm -rf "$CORPUS"
    target/release/examples/gen_corpus --docs "$DOCS" --seed "$SEED" --out "$CORPUS"
    touch "$CORPUS.complete"
fi
BYTES=$(find -L "$CORPUS" -name '*.md' -printf '%s\n' | awk '{s += $1} END {print s}')
FILES=$(find -L "$CORPUS" -name '*.md' | wc -l)

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== corpus: $FILES files, $BYTES bytes of Markdown ($CORPUS; page cache warm)"

# --- indexing
if [ "$REUSE" = 1 ] && "$BIN" search --index "$INDEX" --limit 1 probe >/dev/null 2>&1; then
    echo "== reusing the index in $INDEX"
else
    rm -rf "$INDEX"
    /usr/bin/time -v "$BIN" index --content "$CORPUS" --index "$INDEX" >"$WORK/index.out" 2>"$WORK/index.time"
    SUMMARY=$(grep '^indexed' "$WORK/index.out")
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$WORK/index.time")
    RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/index.time")
    CPU=$(awk -F': ' '/Percent of CPU/ {print $2}' "$WORK/index.time")
    SECTIONS=$(sed -E 's/.* ([0-9]+) sections.*/\1/' <<<"$SUMMARY")
    THREADS=$(sed -E 's/.* ([0-9]+) threads\).*/\1/' <<<"$SUMMARY")
    INDEX_MB=$(du -sm "$INDEX" | cut -f1)
    echo "== kbsearch index: $SUMMARY"
    awk -v b="$BYTES" -v w="$WALL" -v s="$SECTIONS" -v r="$RSS_KB" -v t="$THREADS" -v c="$CPU" -v i="$INDEX_MB" 'BEGIN {
        printf "indexing: wall %.2f s | %.1f MB/s (%.1f MiB/s) of Markdown | %.0f sections/s | %s threads | CPU %s | peak RSS %.0f MiB | index on disk %s MiB\n",
            w, b / 1e6 / w, b / 1048576 / w, s / w, t, c, r / 1024, i
    }'
fi

# --- start-up
URL="http://127.0.0.1:$PORT"
SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap stop_server EXIT
STARTS=()
for run in 1 2 3; do
    START=$(date +%s%N)
    "$BIN" serve --content "$CORPUS" --index "$INDEX" --addr "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
    SERVER_PID=$!
    MS=$(bench_wait_200 "$URL/healthz" "$START" 300) || { echo "server did not answer; see $WORK/serve.log" >&2; exit 1; }
    STARTS+=("$MS")
    if [ "$run" -lt 3 ]; then stop_server; fi
done
echo "start-up until /healthz = 200: ${STARTS[*]} ms (runs 1-3)"
read -r RSS0 _ ANON0 FILE0 < <(bench_rss "$SERVER_PID")

# --- serving memory after a query mix
URLS=()
for q in "${BENCH_QUERIES[@]}"; do
    URLS+=(-o /dev/null "$URL/api/search?q=$(bench_urlencode "$q")")
done
FAILED=0
for ((r = 0; r < ROUNDS; r++)); do
    CODES=$(curl -s -w '%{http_code}\n' "${URLS[@]}")
    FAILED=$((FAILED + $(grep -cv '^200$' <<<"$CODES" || true)))
done
read -r RSS1 HWM1 ANON1 FILE1 < <(bench_rss "$SERVER_PID")
echo "serving RSS: ${RSS0} MiB idle after start-up (anon ${ANON0}, file ${FILE0}); ${RSS1} MiB after $((ROUNDS * ${#BENCH_QUERIES[@]})) searches (anon ${ANON1}, file-backed index pages ${FILE1}; peak ${HWM1} MiB); non-200 answers: $FAILED"
stop_server
