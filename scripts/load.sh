#!/usr/bin/env bash
# HTTP load test of `kbsearch serve` with wrk.
#
#   scripts/load.sh [--duration SECONDS] [--port P] [--content DIR] [--concurrency "1 16 64"]
#                   [--synonyms FILE] [--queries N] [--cache] [--rss-watch SECONDS]
#
# Serves ../shared/corpus (or content/ when it is absent) from a fresh index
# in a temporary folder, then runs wrk for DURATION (default 30 s) at each
# concurrency against /api/search — rotating N distinct queries (default
# 600) made by scripts/query-mix.py from the content being served: headings,
# pieces of them, typos, codes in several spellings, plus the development
# queries when ../shared/eval is there — and against /healthz on the same
# server. Searches are uncached (--search-cache-entries 0) unless --cache is
# given. Prints QPS, p50, p99, non-2xx answers and socket errors, the ratio
# of search QPS to healthz QPS at the highest concurrency, the server's own
# took_ms per query class (two passes over the mix: just started, then
# warm), and the server's memory.
# Installs wrk with apt-get when it is missing. --synonyms serves with a
# glossary (e.g. content/synonyms.toml; the shared corpus has none).
# --rss-watch SECONDS ends with one more search run at the highest
# concurrency for that long, printing the server's RSS every 15 s (it must
# level off).
#
# The wrk client runs on the same machine and takes CPU from the server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-queries.sh

DURATION=30
PORT=18080
CONTENT=""
CONCURRENCY="1 16 64"
SYNONYMS=()
QUERIES=600
CACHE_ENTRIES=0
RSS_WATCH=0
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --content) CONTENT="$2"; shift 2 ;;
        --concurrency) CONCURRENCY="$2"; shift 2 ;;
        --synonyms) SYNONYMS=(--synonyms "$2"); shift 2 ;;
        --queries) QUERIES="$2"; shift 2 ;;
        --cache) CACHE_ENTRIES=1024; shift ;;
        --rss-watch) RSS_WATCH="$2"; shift 2 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
if [ -z "$CONTENT" ]; then
    if [ -d ../shared/corpus ]; then CONTENT=../shared/corpus; else CONTENT=content; fi
fi

if ! command -v wrk >/dev/null 2>&1; then
    echo "load: installing wrk" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

cargo build --release --quiet --bin kbsearch
# KBSEARCH_BIN measures another build (e.g. a copy of an earlier one).
BIN=${KBSEARCH_BIN:-target/release/kbsearch}
TMP=$(mktemp -d)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

URL="http://127.0.0.1:$PORT"
"$BIN" index --content "$CONTENT" --index "$TMP/index" "${SYNONYMS[@]}" >"$TMP/index.out" 2>&1
"$BIN" serve --content "$CONTENT" --index "$TMP/index" "${SYNONYMS[@]}" --addr "127.0.0.1:$PORT" \
    --search-cache-entries "$CACHE_ENTRIES" 2>"$TMP/serve.log" &
SERVER_PID=$!
bench_wait_200 "$URL/healthz" "$(date +%s%N)" 120 >/dev/null || { cat "$TMP/serve.log" >&2; exit 1; }

DEV=()
if [ -f ../shared/eval/dev-queries.jsonl ]; then DEV=(--dev ../shared/eval/dev-queries.jsonl); fi
python3 scripts/query-mix.py "$CONTENT" --count "$QUERIES" "${DEV[@]}" >"$TMP/queries.txt"
mapfile -t MIX <"$TMP/queries.txt"

# The Lua script: rotate the queries; report machine-readable numbers.
{
    echo "local queries = {"
    for q in "${MIX[@]}"; do
        echo "  \"/api/search?q=$(bench_urlencode "$q")\","
    done
    echo "}"
    cat <<'LUA'
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", queries[(counter % #queries) + 1])
end
LUA
} >"$TMP/search.lua"
cat >"$TMP/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
LUA
cat "$TMP/report.lua" >>"$TMP/search.lua"
printf 'request = function() return wrk.format("GET", "/healthz") end\n' >"$TMP/healthz.lua"
cat "$TMP/report.lua" >>"$TMP/healthz.lua"

# Warm-up and the server's own time: every query twice, checked, its
# took_ms by class (code: the mix's code spellings; long: over 8 words).
# The first pass meets a process just started (tables still loading,
# per-thread caches empty); the second is what a running server answers.
# Both are uncached when the response cache is off.
python3 - "$URL" "$TMP/queries.txt" <<'PY'
import json, re, sys, urllib.parse, urllib.request
url, path = sys.argv[1], sys.argv[2]
queries = open(path, encoding="utf-8").read().splitlines()
def kind_of(q):
    words = q.split()
    if len(words) <= 2 and re.search(r"\d|^[A-Za-z]+[A-Z][a-z]+[A-Z]|^[a-z]{12,}$", q):
        return "code"
    if len(words) > 8:
        return "long"
    if re.search("[а-яё]", q, re.I):
        return "ru"
    return "en"
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))]
failed = 0
for title in ("first pass, each query the first time asked", "second pass, a warm process"):
    classes = {}
    for q in queries:
        try:
            with urllib.request.urlopen(f"{url}/api/search?q={urllib.parse.quote(q)}") as r:
                took = json.load(r)["took_ms"]
        except Exception as e:
            print(f"warning: {q!r}: {e}", file=sys.stderr)
            failed += 1
            continue
        classes.setdefault(kind_of(q), []).append(took)
    print(f"== server took_ms per class ({title})")
    print(f"{'class':<6} {'n':>5} {'p50':>8} {'p99':>8} {'max':>8} {'mean':>8}")
    for kind, xs in sorted(classes.items()):
        print(f"{kind:<6} {len(xs):>5} {pct(xs, 50):>8.2f} {pct(xs, 99):>8.2f} {max(xs):>8.2f} {sum(xs) / len(xs):>8.2f}")
if failed:
    sys.exit(f"{failed} warm-up requests failed")
PY

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(grep '^indexed' "$TMP/index.out" || true)"
echo "== wrk $DURATION s per run, ${#MIX[@]} distinct rotating search queries, response cache entries: $CACHE_ENTRIES"
printf '%-12s %5s %10s %10s %10s %8s %8s\n' endpoint c QPS p50_ms p99_ms non2xx errors
declare -A QPS
for c in $CONCURRENCY; do
    threads=$((c < 2 ? c : 2))
    for endpoint in search healthz; do
        out=$(wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency -s "$TMP/$endpoint.lua" "$URL" 2>&1)
        read -r qps p50 p99 non2xx errors < <(grep '^RESULT' <<<"$out" | cut -d' ' -f2-)
        QPS[$endpoint$c]=$qps
        printf '%-12s %5s %10s %10s %10s %8s %8s\n' "/$endpoint" "$c" "$qps" "$p50" "$p99" "$non2xx" "$errors"
    done
done
last=${CONCURRENCY##* }
awk -v s="${QPS[search$last]}" -v h="${QPS[healthz$last]}" -v c="$last" \
    'BEGIN {printf "search/healthz QPS at c=%s: %.1f%%\n", c, 100 * s / h}'
read -r rss hwm anon file < <(bench_rss "$SERVER_PID")
echo "server RSS after the runs: $rss MiB (anon $anon, file $file; peak $hwm MiB)"
if [ "$RSS_WATCH" -gt 0 ]; then
    echo "== RSS under $RSS_WATCH s of uncached searches at c=$last (MiB: rss anon file)"
    wrk -t2 -c"$last" -d"${RSS_WATCH}s" -s "$TMP/search.lua" "$URL" >"$TMP/watch.out" 2>&1 &
    WRK_PID=$!
    elapsed=0
    while kill -0 "$WRK_PID" 2>/dev/null; do
        sleep 15
        elapsed=$((elapsed + 15))
        read -r rss hwm anon file < <(bench_rss "$SERVER_PID")
        echo "t=${elapsed}s rss $rss anon $anon file $file"
    done
    wait "$WRK_PID" || true
    grep '^RESULT' "$TMP/watch.out" | awk '{printf "watch run: %s QPS, p50 %s ms, p99 %s ms, non-2xx %s, errors %s\n", $2, $3, $4, $5, $6}'
fi
