#!/usr/bin/env bash
# The MCP server checked by an independent client: the official MCP Python
# SDK (tests/mcp_client.py) connects to `kbsearch serve` on content/ over
# streamable HTTP (POST /mcp) and launches `kbsearch mcp` over stdio, lists
# the tools and calls each one. Exits non-zero on any failed check.
#
#   scripts/mcp-client.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18093}
PYTHON=$(scripts/python-venv.sh mcp "mcp==2.3.0")
cargo build --release --quiet --bin kbsearch
TMP=$(mktemp -d)
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

target/release/kbsearch index --content content --index "$TMP/index" >/dev/null
target/release/kbsearch serve --content content --index "$TMP/index" --addr "127.0.0.1:$PORT" \
    2>"$TMP/serve.log" &
SERVER_PID=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$TMP/serve.log" >&2; exit 1; }

"$PYTHON" tests/mcp_client.py --content content \
    --http "http://127.0.0.1:$PORT/mcp" \
    --stdio "target/release/kbsearch mcp --content content --index $TMP/index"
