#!/usr/bin/env bash
# Mixed load with live re-indexing (issue 7): DURATION seconds (default 60) at
# concurrency 64 of searches, error-code lookups and document views against
# `kbsearch serve --watch`, while a loop edits the content every 2 seconds so
# the server re-indexes and swaps its index under load. Prints requests,
# non-2xx answers, socket errors and latency percentiles; exits non-zero on
# any failed request.
#
#   scripts/load-mixed.sh [DURATION] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-60}
CONCURRENCY=${2:-64}
PORT=${PORT:-18090}

if ! command -v wrk >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" != 0 ] && command -v sudo >/dev/null && SUDO=sudo
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --quiet --bin kbsearch
TMP=$(mktemp -d)
cp target/release/kbsearch "$TMP/kbsearch"
SERVER_PID=""; EDITOR_PID=""
cleanup() {
    [ -n "$EDITOR_PID" ] && kill "$EDITOR_PID" 2>/dev/null || true
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

cp -r content "$TMP/content"
"$TMP/kbsearch" serve --content "$TMP/content" --index "$TMP/index" --addr "127.0.0.1:$PORT" \
    --watch --watch-interval 0.5 2>"$TMP/serve.log" &
SERVER_PID=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

# Edit one article every 2 seconds: the watcher re-indexes and swaps engines.
(
    i=0
    while true; do
        i=$((i + 1))
        printf '\n## Load marker %d\n\nMarker section number %d.\n' "$i" "$i" >>"$TMP/content/en/vpn/vpn-error-809.md"
        sleep 2
    done
) &
EDITOR_PID=$!

cat >"$TMP/mixed.lua" <<'LUA'
local paths = {
  "/api/search?q=vpn%20error%20809", "/api/search?q=%D1%81%D0%B5%D1%80%D1%82%D0%B8%D1%84%D0%B8%D0%BA%D0%B0%D1%82%20%D0%B8%D1%81%D1%82%D1%91%D0%BA",
  "/api/search?q=disk%20full%20backup%20fails", "/api/search?q=0x80070005", "/api/search?q=certifcate%20expird",
  "/api/search?q=cthnbabrfn%20bcn%60r", "/api/search?q=error&product=vpn",
  "/api/errors/0x80070005", "/api/errors/-2147024891", "/api/errors/AADSTS50058", "/api/errors/34513",
  "/api/docs/en/vpn/vpn-error-809.md", "/api/docs/ru/tls/certificate-errors.md", "/api/suggest?q=aad",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, non-2xx %d, socket errors %d (connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; %.1f requests/s\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
LUA
wrk -t2 -c"$CONCURRENCY" -d"${DURATION}s" --timeout 10s -s "$TMP/mixed.lua" "http://127.0.0.1:$PORT" | tee "$TMP/wrk.out"
reindexes=$(grep -c "re-indexed" "$TMP/serve.log" || true)
echo "re-indexes during the run: $reindexes"
if grep -qE "non-2xx [1-9]|socket errors [1-9]" "$TMP/wrk.out"; then
    echo "load-mixed: FAILED requests" >&2
    exit 1
fi
