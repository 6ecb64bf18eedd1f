#!/usr/bin/env bash
# Read-only replicas of one built index behind HAProxy (issue 20).
#
# Builds the index of content/ once, starts three `kbsearch serve --read-only`
# replicas on loopback ports over that one directory, and HAProxy in front of
# them with health checks on /readyz. Then runs DURATION seconds of wrk at
# CONCURRENCY connections through HAProxy while, a quarter of the way in, one
# replica is killed (SIGKILL) and started again, and half way in a new index
# generation (content/ plus one article) is published by a separate
# `kbsearch index` run, which every replica must pick up. Prints throughput,
# latency percentiles and failed requests (searches uncached); exits non-zero on any non-2xx
# answer or socket error, or when a replica does not serve the new
# generation. Everything listens on 127.0.0.1 and is stopped at the end.
#
#   scripts/replicas.sh [DURATION] [CONCURRENCY]    (default 60 s, 64)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-60}
CONCURRENCY=${2:-64}
BASE_PORT=${BASE_PORT:-18180}
LB_PORT=$BASE_PORT
# Uncached by default: the mix repeats a few requests, which a response
# cache would answer without searching (CACHE_ENTRIES=1024 to measure that).
CACHE_ENTRIES=${CACHE_ENTRIES:-0}
PORTS=($((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3)))

need() {
    local command=$1 package=$2
    command -v "$command" >/dev/null 2>&1 && return
    local sudo=""; [ "$(id -u)" != 0 ] && command -v sudo >/dev/null && sudo=sudo
    echo "replicas: installing $package" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null
}
need haproxy haproxy
need wrk wrk
cargo build --release --quiet --bin kbsearch

TMP=$(mktemp -d)
cp target/release/kbsearch "$TMP/kbsearch"
KB="$TMP/kbsearch"
INDEX="$TMP/index"
declare -A PIDS=()
HAPROXY_PID=""
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -n "$HAPROXY_PID" ] && kill "$HAPROXY_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

ready() { curl -sf "http://127.0.0.1:$1/readyz" >/dev/null 2>&1; }
wait_until() { # SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.1 s
    local seconds=$1 what=$2; shift 2
    local tries=$((seconds * 10))
    for _ in $(seq 1 "$tries"); do "$@" && return 0; sleep 0.1; done
    echo "replicas: timed out waiting for $what" >&2
    return 1
}
generation_of() { curl -sf "http://127.0.0.1:$1/readyz" | sed -n 's/.*"generation":"\([^"]*\)".*/\1/p'; }

start_replica() { # N
    local n=$1 port=${PORTS[$1]}
    "$KB" serve --read-only --index "$INDEX" --addr "127.0.0.1:$port" --watch-interval 0.5 \
        --search-cache-entries "$CACHE_ENTRIES" >>"$TMP/replica-$n.log" 2>&1 &
    PIDS[$n]=$!
    wait_until 30 "replica $n on port $port" ready "$port"
}

echo "replicas: building the index of content/ once"
"$KB" index --content content --index "$INDEX" >/dev/null
for n in 0 1 2; do start_replica "$n"; done
FIRST=$(generation_of "${PORTS[0]}")

cat >"$TMP/haproxy.cfg" <<EOF
global
    maxconn 4096
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    # A request that meets a replica going down is sent to another one.
    retries 3
    option redispatch 1
    retry-on all-retryable-errors
frontend kbsearch
    bind 127.0.0.1:$LB_PORT
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 250ms fall 1 rise 2
    server r0 127.0.0.1:${PORTS[0]} check
    server r1 127.0.0.1:${PORTS[1]} check
    server r2 127.0.0.1:${PORTS[2]} check
EOF
haproxy -f "$TMP/haproxy.cfg" -db >"$TMP/haproxy.log" 2>&1 &
HAPROXY_PID=$!
wait_until 30 "HAProxy on port $LB_PORT" ready "$LB_PORT"

# The request mix: symptoms in both languages, codes, completions.
cat >"$TMP/mix.lua" <<'EOF'
local paths = {
    "/api/search?q=vpn%20error%20809",
    "/api/search?q=%D0%BE%D1%88%D0%B8%D0%B1%D0%BA%D0%B0%20809%20vpn",
    "/api/search?q=certificate%20expired&lang=en",
    "/api/search?q=%D1%81%D0%B5%D1%80%D1%82%D0%B8%D1%84%D0%B8%D0%BA%D0%B0%D1%82%20%D0%B8%D1%81%D1%82%D1%91%D0%BA",
    "/api/search?q=0x80070005",
    "/api/errors/-2147024891",
    "/api/suggest?q=vpn",
    "/api/search?q=disk%20full%20backup%20cache",
}
local i = 0
request = function()
    i = i + 1
    return wrk.format("GET", paths[(i % #paths) + 1])
end
EOF

echo "replicas: ${DURATION}s of wrk at $CONCURRENCY connections through HAProxy"
wrk -t2 -c"$CONCURRENCY" -d"${DURATION}s" --latency -s "$TMP/mix.lua" \
    "http://127.0.0.1:$LB_PORT" >"$TMP/wrk.txt" 2>&1 &
WRK_PID=$!

# (a) A quarter of the way in: kill replica 1 outright, then start it again.
sleep $((DURATION / 4))
echo "replicas: killing replica 1 (SIGKILL)"
kill -9 "${PIDS[1]}"; wait "${PIDS[1]}" 2>/dev/null || true
sleep 2
echo "replicas: starting replica 1 again"
start_replica 1

# (b) Half way in: a separate build publishes a new generation.
sleep $((DURATION / 4))
echo "replicas: publishing a new index generation"
cp -r content "$TMP/content-v2"
printf -- '---\ntitle: Replica probe\n---\n# Replica probe\n\n## Wombat relay probe\n\nThe wombat relay answers.\n' \
    >"$TMP/content-v2/en/replica-probe.md"
"$KB" index --content "$TMP/content-v2" --index "$INDEX" >/dev/null
SECOND=$(sed -n 's/^gen-/gen-/p' "$INDEX/CURRENT")
served_everywhere() {
    for port in "${PORTS[@]}"; do [ "$(generation_of "$port")" = "$SECOND" ] || return 1; done
}
wait_until 20 "every replica to serve $SECOND" served_everywhere
echo "replicas: every replica serves $SECOND (was $FIRST)"
FOUND=$(curl -sf "http://127.0.0.1:$LB_PORT/api/search?q=wombat%20relay%20probe" | grep -c 'replica-probe.md' || true)

wait "$WRK_PID"
cat "$TMP/wrk.txt"
REQUESTS=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$TMP/wrk.txt")
NON2XX=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$TMP/wrk.txt")
SOCKET=$(sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$TMP/wrk.txt")
QPS=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$TMP/wrk.txt")
P50=$(awk '$1 == "50%" {print $2}' "$TMP/wrk.txt")
P99=$(awk '$1 == "99%" {print $2}' "$TMP/wrk.txt")
SOCKET_ERRORS=0
for n in $SOCKET; do SOCKET_ERRORS=$((SOCKET_ERRORS + n)); done
NON2XX=${NON2XX:-0}
echo "replicas: requests=$REQUESTS qps=$QPS p50=$P50 p99=$P99 non2xx=$NON2XX socket_errors=$SOCKET_ERRORS new_generation_found=$FOUND"
if [ "$NON2XX" != 0 ] || [ "$SOCKET_ERRORS" != 0 ] || [ "$FOUND" = 0 ]; then
    echo "replicas: FAILED" >&2
    tail -5 "$TMP"/replica-*.log "$TMP/haproxy.log" >&2
    exit 1
fi
echo "replicas: ok"
